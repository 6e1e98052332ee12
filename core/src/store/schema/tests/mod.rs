//! The format's guards: golden bytes of every record kind and variant, and properties that
//! tie the stored types to the public ones.
//!
//! Golden files live in `core/tests/data/format/golden/v<FORMAT_VERSION>/`, one file per
//! record kind, one `name hex` line per sample. They are written once per format version,
//! by hand, with `STOCKBOOK_BLESS_GOLDEN=1 cargo test -p stockbook --lib store::schema`;
//! on a version whose goldens exist, the bless only appends the samples added since, and
//! never rewrites a committed line. Every committed version's
//! entries must keep decoding; the current version's must equal what this build writes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proptest::prelude::*;
use serde::Serialize;

use super::event::{EnvelopeV1, StoredEvent};
use super::key::{StoredError, StoredOutcome};
use super::records::ItemV1;
use super::*;
use crate::command::Command;
use crate::command::canonical::{MetaV1, StoredCommand, fingerprint};
use crate::error::Error;
use crate::event::{CountRecord, Envelope, Event, Movement, MovementKind, TransferRecord};
use crate::ledger::{
    Adjust, Count, Dispatch, Issue, Meta, Receipt, Receive, ReceiveTransfer, Scrap, Transfer,
};
use crate::model::{
    Capacity, Coordinates, Dimensions, Item, Location, LocationKind, Lot, Qty, Tracking,
    UnitConversion,
};
use crate::orders::{
    AllocateOrder, AllocateOrders, CancelOrder, CommitReservation, CreateOrder, FillBackorders,
    NewOrderLine, Order, OrderLine, OrderState, OrderStep, PackOrder, Package, PackageContent,
    Pick, PickOrder, Reservation, ReservationState, Reserve, ShortagePolicy,
    Strategy as Allocation,
};
use crate::planning::supply::{
    CreatePurchaseOrder, NewPurchaseOrderLine, OverReceipt, PurchaseOrder, PurchaseOrderLine,
    PurchaseOrderReceipt, PurchaseOrderState, PurchaseOrderStep, ReceivePurchaseOrder,
};
use crate::store::recent::Folded;
use crate::store::row::MoveRow;
use crate::store::{FORMAT_VERSION, codec, index};

pub(super) fn postcard<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value).unwrap()
}

pub(super) fn q(text: &str) -> Qty {
    Qty::parse(text).unwrap()
}
mod golden;
mod props;
mod samples;

use golden::{decode_envelope, decode_fingerprint};
use samples::*;

// ---- rules ---------------------------------------------------------------------------------

#[test]
fn tags_are_the_declaration_indices_of_format_4_and_new_ones_are_appended() {
    let tags: Vec<u32> = events()
        .iter()
        .map(|(_, e)| StoredEvent::from_public(e).tag())
        .collect();
    // Items are written with the new tags; everything else keeps format 4's index.
    assert_eq!(
        tags,
        [
            17, 17, 18, 18, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
        ]
    );
    let commands: Vec<u32> = commands()
        .iter()
        .map(|(_, c)| StoredCommand::from_public(c).tag())
        .collect();
    let mut expected: Vec<u32> = vec![0, 34, 1, 35];
    expected.extend(2..=33);
    assert_eq!(commands, expected);
    let codes: Vec<u32> = errors()
        .iter()
        .map(|(_, e)| StoredError::from_public(e).tag())
        .collect();
    assert_eq!(codes, (0..=24).collect::<Vec<u32>>());
}

#[test]
fn forecasts_take_the_next_free_tags() {
    let tags: Vec<u32> = later_events()
        .iter()
        .map(|(_, e)| StoredEvent::from_public(e).tag())
        .collect();
    assert_eq!(tags, [19]);
    let tags: Vec<u32> = later_commands()
        .iter()
        .map(|(_, c)| StoredCommand::from_public(c).tag())
        .collect();
    assert_eq!(tags, [37, 38]);
}

#[test]
fn an_unknown_tag_and_leftover_bytes_are_refused() {
    let mut bytes = postcard(&EnvelopeV1::from_public(&envelope(
        1,
        Event::ItemArchived { sku: "A".into() },
    )));
    assert!(decode_envelope(&bytes).is_ok());
    bytes.push(0);
    assert_eq!(decode_envelope(&bytes).unwrap_err().code(), "storage");
    // seq, two timestamps, four absent options, then the event's tag.
    let head = postcard(&(1u64, 0i64, 0i64, 0u8, 0u8, 0u8, 0u8));
    let with_tag = |tag: u8| {
        let mut bytes = head.clone();
        bytes.extend([tag, 1, b'A']);
        bytes
    };
    assert!(
        decode_envelope(&with_tag(5)).is_ok(),
        "location_archived of `A`"
    );
    assert_eq!(
        decode_envelope(&with_tag(99)).unwrap_err().code(),
        "storage"
    );
    // A quantity with more digits than any quantity has.
    assert!(decode_whole::<super::records::StoredQty>(&postcard(&(1i64, 19u8))).is_err());
}

#[test]
fn a_format_4_item_is_todays_public_item_without_its_two_new_fields() {
    let v1 = ItemV1::carrying(&item()).unwrap();
    let mut public = postcard(&v1);
    public.extend([0, 0]);
    assert_eq!(postcard(&item()), public);
    assert!(ItemV1::carrying(&item_with_dimensions()).is_none());
    let upcast: Item = v1.into();
    assert_eq!(upcast, item());
}

#[test]
fn a_command_with_dimensions_takes_the_new_tag_and_one_without_keeps_its_fingerprint() {
    let old = fingerprint(&[Command::DefineItem(item())], &meta()).unwrap();
    let new = fingerprint(&[Command::DefineItem(item_with_dimensions())], &meta()).unwrap();
    assert_eq!(old[..2], [1, 1]);
    assert_eq!(new[..2], [1, 1]);
    assert_eq!(old[2], 0, "define_item of format 4");
    assert_eq!(new[2], 34, "define_item with dimensions");
    // The key is not part of the fingerprint.
    assert_eq!(
        old,
        fingerprint(&[Command::DefineItem(item())], &unkeyed(&meta())).unwrap()
    );
}
