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

fn postcard<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value).unwrap()
}

fn q(text: &str) -> Qty {
    Qty::parse(text).unwrap()
}

// ---- samples ------------------------------------------------------------------------------

fn item() -> Item {
    let mut item = Item::new("BOLT-M8");
    item.name = "Bolt M8".into();
    item.decimals = 2;
    item.tracking = Tracking::Lot;
    item.shelf_life_days = Some(365);
    item.conversions = vec![UnitConversion {
        unit: "box".into(),
        factor: q("12"),
    }];
    item.category = Some("fasteners".into());
    item.attributes.insert("finish".into(), "zinc".into());
    item
}

fn item_with_dimensions() -> Item {
    Item {
        dimensions: Some(Dimensions {
            length_mm: 80,
            width_mm: 13,
            height_mm: 13,
        }),
        weight_g: Some(41),
        ..item()
    }
}

fn location() -> Location {
    Location {
        name: "Bin 3".into(),
        kind: LocationKind::Bin,
        parent: Some("WH1/A".into()),
        capacity: Capacity {
            units: Some(q("500")),
            weight_kg: Some(q("120.5")),
            volume_l: None,
        },
        coordinates: Some(Coordinates { x: 3, y: -2, z: 1 }),
        ..Location::new("WH1/A/03")
    }
}

fn lot() -> Lot {
    Lot {
        sku: "BOLT-M8".into(),
        lot: "L-7".into(),
        expiry: Some(1_800_000_000_000),
        produced: Some(1_700_000_000_000),
        first_received: None,
    }
}

fn movement() -> Movement {
    Movement {
        kind: MovementKind::Receive,
        sku: "BOLT-M8".into(),
        lot: Some("L-7".into()),
        from: "@supplier".into(),
        to: "WH1/A/03".into(),
        qty: q("10.50"),
        serials: vec![],
        unit_cost: Some(q("0.25")),
        currency: Some("EUR".into()),
        reason_code: None,
        transfer: None,
    }
}

fn reservation() -> Reservation {
    Reservation {
        id: "RS-9".into(),
        sku: "BOLT-M8".into(),
        scope: "WH1".into(),
        lot: None,
        hard: false,
        qty: q("4"),
        requested: q("5"),
        committed: q("1"),
        order: Some("SO-1".into()),
        line: Some(1),
        created_at: 1_700_000_000_500,
        expires_at: Some(1_700_000_600_500),
        state: ReservationState::Pending,
    }
}

fn order() -> Order {
    Order {
        id: "SO-1".into(),
        customer: Some("ACME".into()),
        priority: 10,
        due_at: Some(1_700_100_000_000),
        ship_from: "WH1".into(),
        staging: "WH1/STAGE".into(),
        ship_to: "@customer".into(),
        lines: vec![OrderLine {
            line: 1,
            sku: "BOLT-M8".into(),
            ordered: q("5"),
            allocated: q("2"),
            picked: q("3"),
            shipped: q("0"),
            backordered: q("0"),
            picks: vec![Pick {
                from: "WH1/A/03".into(),
                lot: Some("L-7".into()),
                qty: q("3"),
                serials: vec![],
                reservation: "RS-10".into(),
            }],
            reservations: vec!["RS-9".into()],
        }],
        packages: vec![Package {
            id: "PKG-1".into(),
            contents: vec![PackageContent {
                line: 1,
                qty: q("3"),
            }],
        }],
        state: OrderState::Picking,
        created_at: 1_700_000_000_000,
        created_seq: 42,
    }
}

fn purchase_order() -> PurchaseOrder {
    PurchaseOrder {
        id: "PO-1".into(),
        supplier: "SUP-1".into(),
        location: "WH1".into(),
        lines: vec![PurchaseOrderLine {
            line: 1,
            sku: "BOLT-M8".into(),
            ordered: q("100"),
            received: q("40"),
            unit_cost: Some(q("0.2")),
            currency: Some("EUR".into()),
        }],
        ordered_at: 1_699_000_000_000,
        expected_at: 1_699_500_000_000,
        over_receipt: OverReceipt::Allow {
            tolerance_pct: q("10"),
        },
        under_tolerance_pct: q("2.5"),
        receipts: vec![PurchaseOrderReceipt {
            line: 1,
            qty: q("40"),
            location: "WH1/A/03".into(),
            received_at: 1_699_400_000_000,
        }],
        state: PurchaseOrderState::PartiallyReceived,
        created_at: 1_699_000_000_000,
        created_seq: 7,
        closed_at: None,
    }
}

/// One event of every variant the writer writes, by name.
fn events() -> Vec<(&'static str, Event)> {
    vec![
        ("item_defined", Event::ItemDefined(item())),
        (
            "item_defined_dimensions",
            Event::ItemDefined(item_with_dimensions()),
        ),
        ("item_updated", Event::ItemUpdated(item())),
        (
            "item_updated_dimensions",
            Event::ItemUpdated(item_with_dimensions()),
        ),
        (
            "item_archived",
            Event::ItemArchived {
                sku: "BOLT-M8".into(),
            },
        ),
        ("location_defined", Event::LocationDefined(location())),
        ("location_updated", Event::LocationUpdated(location())),
        (
            "location_archived",
            Event::LocationArchived {
                code: "WH1/A/03".into(),
            },
        ),
        ("lot_defined", Event::LotDefined(lot())),
        ("moved", Event::Moved(movement())),
        (
            "transfer_dispatched",
            Event::TransferDispatched(TransferRecord {
                id: "TR-3".into(),
                sku: "SER-1".into(),
                lot: None,
                from: "WH1/A/03".into(),
                to: "WH2".into(),
                dispatched: q("2"),
                received: q("1"),
                serials_in_transit: vec!["S-2".into()],
            }),
        ),
        (
            "transfer_received",
            Event::TransferReceived {
                id: "TR-3".into(),
                qty: q("1"),
                serials: vec!["S-1".into()],
            },
        ),
        (
            "counted",
            Event::Counted(CountRecord {
                sku: "BOLT-M8".into(),
                location: "WH1/A/03".into(),
                lot: Some("L-7".into()),
                counted: q("9.75"),
                expected: q("10.50"),
            }),
        ),
        (
            "reservation_created",
            Event::ReservationCreated(reservation()),
        ),
        (
            "reservation_committed",
            Event::ReservationCommitted {
                id: "RS-9".into(),
                qty: q("1"),
            },
        ),
        (
            "reservation_released",
            Event::ReservationReleased {
                id: "RS-9".into(),
                qty: q("4"),
            },
        ),
        (
            "reservation_expired",
            Event::ReservationExpired { id: "RS-9".into() },
        ),
        (
            "order_changed",
            Event::OrderChanged {
                step: "picked".into(),
                order: Box::new(order()),
            },
        ),
        (
            "purchase_order_changed",
            Event::PurchaseOrderChanged {
                step: "received".into(),
                order: Box::new(purchase_order()),
            },
        ),
    ]
}

fn envelope(seq: u64, event: Event) -> Envelope {
    Envelope {
        seq,
        recorded_at: 1_700_000_000_000 + seq as i64,
        effective_at: 1_699_999_000_000,
        actor: Some("clerk".into()),
        key: Some(format!("k-{seq}")),
        correlation: None,
        reason: Some("late entry".into()),
        event,
    }
}

/// One error of every variant, by code, and a batch refusal around one.
fn errors() -> Vec<(&'static str, Error)> {
    let s = |t: &str| t.to_owned();
    let errors = vec![
        Error::InsufficientStock {
            sku: s("BOLT-M8"),
            location: s("WH1"),
            lot: Some(s("L-7")),
            requested: s("11"),
            available: s("10.50"),
        },
        Error::NotFound {
            kind: s("item"),
            key: s("NOPE"),
        },
        Error::AlreadyExists {
            kind: s("item"),
            key: s("BOLT-M8"),
        },
        Error::Archived {
            kind: s("location"),
            key: s("OLD"),
        },
        Error::NotEmpty {
            kind: s("location"),
            key: s("WH1"),
        },
        Error::InvalidCode {
            kind: s("sku"),
            code: s(" x"),
            reason: s("has white space"),
        },
        Error::InvalidQuantity {
            value: s("1.234"),
            reason: s("too many digits"),
        },
        Error::InvalidArgument {
            field: s("qty"),
            reason: s("must be positive"),
        },
        Error::InvalidParameter {
            parameter: s("alpha"),
            reason: s("out of range"),
        },
        Error::HierarchyCycle {
            location: s("A"),
            parent: s("B"),
        },
        Error::Tracking {
            sku: s("SER-1"),
            reason: s("serials required"),
        },
        Error::LotExpired {
            sku: s("MILK"),
            lot: s("L1"),
            expiry_ms: 1_690_000_000_000,
        },
        Error::Conflict {
            key: s("rcv-1"),
            reason: s("another command"),
        },
        Error::InvalidTransition {
            entity: s("order"),
            id: s("SO-1"),
            state: s("shipped"),
            step: s("cancel"),
        },
        Error::BatchRefused {
            index: 2,
            source: Box::new(Error::NotFound {
                kind: s("lot"),
                key: s("L-9"),
            }),
        },
        Error::Locked {
            path: s("/tmp/a.stockbook"),
        },
        Error::NotAStockbookFile {
            path: s("/tmp/b"),
            reason: s("no magic"),
        },
        Error::UnsupportedFormat {
            found: 9,
            supported: 5,
        },
        Error::Io {
            path: s("/tmp/c"),
            kind: s("permission_denied"),
            message: s("denied"),
        },
        Error::Storage {
            message: s("disk full"),
        },
        Error::Closed,
        Error::Internal {
            message: s("a panic: index out of bounds"),
        },
        Error::InvariantViolated {
            invariant: s("reserved_within_on_hand"),
            detail: s("BOLT-M8 at WH1: reserved 5, on hand 4"),
        },
        Error::LimitExceeded {
            what: s("batch"),
            max: 10_000,
        },
        Error::KeyExpired { key: s("rcv-1") },
    ];
    errors.into_iter().map(|e| (e.code(), e)).collect()
}

fn receipts() -> Vec<Receipt> {
    vec![
        Receipt {
            first_seq: 7,
            last_seq: 8,
            ..Receipt::default()
        },
        Receipt {
            first_seq: 9,
            last_seq: 9,
            transfer_id: Some("TR-9".into()),
            difference: Some(q("-0.75")),
            reservation_id: Some("RS-2".into()),
        },
    ]
}

/// One command of every variant, by name.
fn commands() -> Vec<(&'static str, Command)> {
    let strategy = Allocation::Fefo {
        min_remaining_days: 3,
    };
    let mut receive = Receive::new("BOLT-M8", "WH1/A/03", q("10.5"));
    receive.lot = Some("L-7".into());
    receive.expiry = Some(1_800_000_000_000);
    receive.unit_cost = Some(q("0.25"));
    receive.currency = Some("EUR".into());
    let issue = Issue {
        serials: vec!["S-1".into()],
        ..Issue::new("SER-1", "WH1/A/03", 1)
    };
    let mut po_receipt = ReceivePurchaseOrder::new("PO-1", 1, q("40"));
    po_receipt.lot = Some("L-8".into());
    vec![
        ("define_item", Command::DefineItem(item())),
        (
            "define_item_dimensions",
            Command::DefineItem(item_with_dimensions()),
        ),
        ("update_item", Command::UpdateItem(item())),
        (
            "update_item_dimensions",
            Command::UpdateItem(item_with_dimensions()),
        ),
        (
            "archive_item",
            Command::ArchiveItem {
                sku: "BOLT-M8".into(),
            },
        ),
        ("define_location", Command::DefineLocation(location())),
        ("update_location", Command::UpdateLocation(location())),
        (
            "archive_location",
            Command::ArchiveLocation {
                code: "WH1/A/03".into(),
            },
        ),
        ("define_lot", Command::DefineLot(lot())),
        ("receive", Command::Receive(receive)),
        ("issue", Command::Issue(issue.clone())),
        (
            "ship",
            Command::Ship(Issue {
                to: Some("@customer".into()),
                ..issue
            }),
        ),
        (
            "adjust",
            Command::Adjust(Adjust {
                sku: "BOLT-M8".into(),
                location: "WH1/A/03".into(),
                qty: q("-2"),
                unit: None,
                lot: Some("L-7".into()),
                serials: vec![],
                reason_code: "damaged".into(),
            }),
        ),
        (
            "scrap",
            Command::Scrap(Scrap {
                sku: "BOLT-M8".into(),
                location: "WH1/A/03".into(),
                qty: q("1"),
                unit: Some("box".into()),
                lot: None,
                serials: vec![],
                reason_code: Some("rust".into()),
            }),
        ),
        (
            "transfer",
            Command::Transfer(Transfer {
                sku: "BOLT-M8".into(),
                from: "WH1/A/03".into(),
                to: "WH1/A/04".into(),
                qty: q("3"),
                unit: None,
                lot: Some("L-7".into()),
                serials: vec![],
                allow_expired: true,
            }),
        ),
        (
            "dispatch_transfer",
            Command::DispatchTransfer(Dispatch {
                transfer_id: Some("TR-3".into()),
                sku: "SER-1".into(),
                from: "WH1/A/03".into(),
                to: "WH2".into(),
                qty: q("2"),
                unit: None,
                lot: None,
                serials: vec!["S-1".into(), "S-2".into()],
                allow_expired: false,
            }),
        ),
        (
            "receive_transfer",
            Command::ReceiveTransfer(ReceiveTransfer {
                transfer_id: "TR-3".into(),
                qty: q("1"),
                unit: None,
                serials: vec!["S-1".into()],
            }),
        ),
        (
            "count",
            Command::Count(Count {
                sku: "BOLT-M8".into(),
                location: "WH1/A/03".into(),
                lot: Some("L-7".into()),
                counted: q("9.75"),
                unit: None,
            }),
        ),
        (
            "reserve",
            Command::Reserve(Reserve {
                hard: true,
                ttl_ms: Some(60_000),
                order: Some("SO-1".into()),
                line: Some(1),
                ..Reserve::new("BOLT-M8", "WH1", q("4"))
            }),
        ),
        (
            "commit_reservation",
            Command::CommitReservation(CommitReservation {
                reservation_id: "RS-9".into(),
                qty: Some(q("1")),
                location: Some("WH1/A/03".into()),
                lot: None,
                serials: vec![],
                to: None,
            }),
        ),
        (
            "release_reservation",
            Command::ReleaseReservation {
                reservation_id: "RS-9".into(),
                qty: Some(q("2")),
            },
        ),
        ("expire_due", Command::ExpireDue {}),
        (
            "create_order",
            Command::CreateOrder(CreateOrder {
                order_id: "SO-1".into(),
                customer: Some("ACME".into()),
                priority: 100,
                due_at: None,
                ship_from: "WH1".into(),
                staging: None,
                ship_to: None,
                lines: vec![NewOrderLine {
                    sku: "BOLT-M8".into(),
                    qty: q("5"),
                    unit: None,
                }],
            }),
        ),
        (
            "confirm_order",
            Command::ConfirmOrder(OrderStep {
                order_id: "SO-1".into(),
            }),
        ),
        (
            "allocate_order",
            Command::AllocateOrder(AllocateOrder {
                order_id: "SO-1".into(),
                strategy: strategy.clone(),
            }),
        ),
        (
            "allocate_orders",
            Command::AllocateOrders(AllocateOrders {
                order_ids: vec!["SO-1".into(), "SO-2".into()],
                policy: ShortagePolicy::FairShare,
                strategy: Allocation::Ordered {
                    locations: vec!["WH1/A/03".into()],
                },
            }),
        ),
        (
            "fill_backorders",
            Command::FillBackorders(FillBackorders {
                sku: Some("BOLT-M8".into()),
                policy: ShortagePolicy::PriorityDueDate,
                strategy: Allocation::Nearest {
                    location: "WH1/A/01".into(),
                },
            }),
        ),
        (
            "pick_order",
            Command::PickOrder(PickOrder {
                order_id: "SO-1".into(),
                line: 1,
                location: "WH1/A/03".into(),
                lot: Some("L-7".into()),
                qty: q("3"),
                serials: vec![],
                short: true,
            }),
        ),
        (
            "pack_order",
            Command::PackOrder(PackOrder {
                order_id: "SO-1".into(),
                packages: order().packages,
            }),
        ),
        (
            "ship_order",
            Command::ShipOrder(OrderStep {
                order_id: "SO-1".into(),
            }),
        ),
        (
            "deliver_order",
            Command::DeliverOrder(OrderStep {
                order_id: "SO-1".into(),
            }),
        ),
        (
            "cancel_order",
            Command::CancelOrder(CancelOrder {
                order_id: "SO-1".into(),
                return_to: Some("WH1/RET".into()),
            }),
        ),
        (
            "create_purchase_order",
            Command::CreatePurchaseOrder(CreatePurchaseOrder {
                po_id: "PO-1".into(),
                supplier: "SUP-1".into(),
                location: "WH1".into(),
                lines: vec![NewPurchaseOrderLine {
                    sku: "BOLT-M8".into(),
                    qty: q("100"),
                    unit: None,
                    unit_cost: Some(q("0.2")),
                    currency: Some("EUR".into()),
                }],
                expected_at: 1_699_500_000_000,
                ordered_at: None,
                over_receipt: OverReceipt::Refuse,
                under_tolerance_pct: q("0"),
            }),
        ),
        (
            "receive_purchase_order",
            Command::ReceivePurchaseOrder(po_receipt),
        ),
        (
            "close_purchase_order",
            Command::ClosePurchaseOrder(PurchaseOrderStep {
                po_id: "PO-1".into(),
            }),
        ),
        (
            "cancel_purchase_order",
            Command::CancelPurchaseOrder(PurchaseOrderStep {
                po_id: "PO-1".into(),
            }),
        ),
    ]
}

fn meta() -> Meta {
    Meta::new()
        .actor("clerk")
        .key("k-1")
        .correlation("SO-1")
        .reason("restock")
        .effective_at(1_699_999_000_000)
}

fn unkeyed(meta: &Meta) -> Meta {
    Meta {
        key: None,
        ..meta.clone()
    }
}

fn index_rows(location: &str, n: u64) -> Vec<MoveRow> {
    (0..n)
        .map(|i| MoveRow {
            sku: "BOLT-M8".into(),
            location: location.into(),
            code: 0,
            ordinal: 1_700_000_000_000 + 60_000 * i as i64,
            seq: 100 + 2 * i,
            value: if i % 3 == 0 {
                -(i as i64)
            } else {
                5 * i as i64
            },
        })
        .collect()
}

fn snapshot_v1() -> SnapshotV1 {
    let item = ItemV1::carrying(&item()).unwrap();
    SnapshotV1 {
        state: StateV1 {
            items: vec![item],
            locations: vec![(&location()).into()],
            lots: vec![(&lot()).into()],
            serials: vec![("SER-1".into(), "S-1".into(), "WH1/A/03".into())],
            balances: vec![(("BOLT-M8".into(), "WH1/A/03".into(), "L-7".into()), 1050)],
            transfers: vec![],
            counts: 1,
            moves: vec![("BOLT-M8".into(), 3)],
            received: vec![(
                ("BOLT-M8".into(), "WH1/A/03".into(), String::new()),
                1_700_000_000_000,
            )],
            reservations: vec![(&reservation()).into()],
            orders: vec![(&order()).into()],
            last_seq: 120,
            purchase_orders: vec![(&purchase_order()).into()],
        },
        recent: RecentV1 {
            moves: vec![(
                "BOLT-M8".into(),
                "WH1/A/03".into(),
                0,
                1_700_000_000_000,
                119,
                5,
            )],
            pairs: vec![("BOLT-M8".into(), 119)],
        },
    }
}

fn snapshot_v2() -> SnapshotV2 {
    let mut snapshot = snapshot_v1().upcast();
    snapshot.state.items.push((&item_with_dimensions()).into());
    snapshot
}

// ---- golden entries -------------------------------------------------------------------------

type Check = Box<dyn Fn(&[u8]) -> std::result::Result<(), String>>;

/// One golden sample: the file (record kind) and name it is kept under, the bytes this
/// build writes for it, and a check that committed bytes decode back to the sample.
struct Entry {
    file: &'static str,
    name: String,
    bytes: Vec<u8>,
    decodes_to_sample: Check,
}

fn entry<T: PartialEq + std::fmt::Debug + 'static>(
    file: &'static str,
    name: impl Into<String>,
    bytes: Vec<u8>,
    sample: T,
    decode: impl Fn(&[u8]) -> crate::error::Result<T> + 'static,
) -> Entry {
    Entry {
        file,
        name: name.into(),
        bytes,
        decodes_to_sample: Box::new(move |b| match decode(b) {
            Ok(v) if v == sample => Ok(()),
            Ok(v) => Err(format!("decodes to {v:?}, not {sample:?}")),
            Err(e) => Err(e.to_string()),
        }),
    }
}

fn decode_envelope(bytes: &[u8]) -> crate::error::Result<Envelope> {
    Ok(decode_whole::<EnvelopeV1>(bytes)?.into_public())
}

fn decode_fingerprint(bytes: &[u8]) -> crate::error::Result<(Vec<Command>, Meta)> {
    match bytes.split_first() {
        Some((1, body)) => {
            let (commands, meta): (Vec<StoredCommand>, MetaV1) = decode_whole(body)?;
            Ok((commands.into_public(), meta.into_public()))
        }
        _ => Err(Error::storage("unknown fingerprint version")),
    }
}

fn decode_part(bytes: &[u8]) -> crate::error::Result<Vec<MoveRow>> {
    index::decode_packed_part("BOLT-M8", bytes)
}

fn decode_directory(bytes: &[u8]) -> crate::error::Result<Vec<u8>> {
    index::reencode_directory(bytes)
}

/// Decodes committed bytes of any version as their record kind, without a sample.
fn decodes_as_its_kind(file: &str, bytes: &[u8]) -> crate::error::Result<()> {
    match file {
        "events" => decode_envelope(bytes).map(drop),
        "key_records" => decode_key_record(bytes).map(drop),
        "fingerprints" => decode_fingerprint(bytes).map(drop),
        "log_chunks" => decode_chunk(bytes).map(drop),
        "snapshots" => decode_snapshot(bytes).map(drop),
        "folded" => decode_folded(bytes).map(drop),
        "index_parts" => decode_part(bytes).map(drop),
        "index_directories" => decode_directory(bytes).map(drop),
        "closed" => decode_closed(bytes).map(drop),
        other => Err(Error::storage(format!("unknown golden file {other}"))),
    }
}

fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, (name, event)) in events().into_iter().enumerate() {
        let env = envelope(i as u64 + 1, event);
        let bytes = postcard(&EnvelopeV1::from_public(&env));
        out.push(entry("events", name, bytes, env, decode_envelope));
    }
    // Items of format 4 (tags 0 and 1), read and upcast.
    for (name, tag_event) in [
        (
            "item_defined_v1",
            StoredEvent::ItemDefined as fn(ItemV1) -> StoredEvent,
        ),
        ("item_updated_v1", StoredEvent::ItemUpdated),
    ] {
        let stored = EnvelopeV1 {
            event: tag_event(ItemV1::carrying(&item()).unwrap()),
            ..EnvelopeV1::from_public(&envelope(1, Event::ItemArchived { sku: String::new() }))
        };
        let public: Envelope = stored.clone().into_public();
        out.push(entry(
            "events",
            name,
            postcard(&stored),
            public,
            decode_envelope,
        ));
    }
    let fp = fingerprint(&[Command::ExpireDue {}], &Meta::new()).unwrap();
    // Key records as format 4 wrote them (`KeyRecordV1`, no time: read with none), under
    // the names they were first blessed with; then as this build writes them
    // (`KeyRecordV2`), under `v2_…`.
    let outcomes = errors()
        .into_iter()
        .map(|(code, error)| (code, Err(error)))
        .chain([("receipts", Ok(receipts()))]);
    for (name, outcome) in outcomes {
        let bytes = encode_key_record_v1(&fp, &outcome).unwrap();
        out.push(entry(
            "key_records",
            name,
            bytes,
            (fp.clone(), outcome.clone(), None),
            decode_key_record,
        ));
        let at = 1_700_000_000_123;
        let bytes = encode_key_record(&fp, &outcome, at).unwrap();
        out.push(entry(
            "key_records",
            format!("v2_{name}"),
            bytes,
            (fp.clone(), outcome, Some(at)),
            decode_key_record,
        ));
    }
    let meta = meta();
    for (name, command) in commands() {
        let bytes = fingerprint(std::slice::from_ref(&command), &meta).unwrap();
        let sample = (vec![command], unkeyed(&meta));
        out.push(entry(
            "fingerprints",
            name,
            bytes,
            sample,
            decode_fingerprint,
        ));
    }
    let batch: Vec<Command> = commands().into_iter().take(4).map(|(_, c)| c).collect();
    let bytes = fingerprint(&batch, &Meta::new()).unwrap();
    out.push(entry(
        "fingerprints",
        "batch",
        bytes,
        (batch, Meta::new()),
        decode_fingerprint,
    ));
    let chunk: Vec<Envelope> = events()
        .into_iter()
        .enumerate()
        .map(|(i, (_, e))| envelope(i as u64 + 1, e))
        .collect();
    let mut bytes = Vec::new();
    encode_chunk_into(&chunk, &mut bytes).unwrap();
    out.push(entry(
        "log_chunks",
        "every_event",
        bytes,
        chunk,
        decode_chunk,
    ));
    let v2 = snapshot_v2();
    let sample = (v2.state.clone(), Some(v2.recent.clone()));
    out.push(entry(
        "snapshots",
        "v2",
        encode_snapshot(&v2).unwrap(),
        sample,
        decode_snapshot,
    ));
    let v1 = snapshot_v1();
    let bytes = codec::encode_compressed(&v1).unwrap();
    let upcast = v1.clone().upcast();
    let sample = (upcast.state, Some(upcast.recent));
    out.push(entry("snapshots", "v1", bytes, sample, decode_snapshot));
    let bytes = codec::encode_compressed(&v1.state).unwrap();
    let sample = (v1.state.clone().upcast(), None);
    out.push(entry(
        "snapshots",
        "v1_state_only",
        bytes,
        sample,
        decode_snapshot,
    ));
    for (name, folded) in [
        (
            "settled",
            Folded {
                seq: 65_535,
                ..Folded::default()
            },
        ),
        (
            "under_way",
            Folded {
                seq: 65_535,
                block: Some(1),
                moves_done: 300,
                pairs_done: 120,
            },
        ),
    ] {
        out.push(entry(
            "folded",
            name,
            encode_folded(&folded).unwrap(),
            folded,
            decode_folded,
        ));
    }
    let mut rows = index_rows("WH1/A/03", 5);
    rows.extend(index_rows("WH1/A/04", 3));
    let part = index::encode_packed_part(&rows);
    out.push(entry(
        "index_parts",
        "two_sections",
        part.clone(),
        rows,
        decode_part,
    ));
    let second = index::encode_packed_part(&index_rows("WH1/A/05", 2));
    let directory = index::directory_of(&[(0, part), (1, second)]).unwrap();
    out.push(entry(
        "index_directories",
        "two_parts",
        directory.clone(),
        directory,
        decode_directory,
    ));
    for (name, record) in closed_records() {
        out.push(entry(
            "closed",
            name,
            encode_closed(&record).unwrap(),
            record,
            decode_closed,
        ));
    }
    out
}

/// One closed record of each kind, as the `closed` table keeps them.
fn closed_records() -> Vec<(&'static str, Closed)> {
    let mut r = reservation();
    r.state = ReservationState::Committed;
    r.committed = r.qty;
    r.qty = Qty::from_units(0, r.qty.scale()).unwrap();
    let mut o = order();
    o.state = OrderState::Cancelled;
    let mut po = purchase_order();
    po.state = PurchaseOrderState::Closed;
    po.closed_at = Some(1_700_000_900_000);
    vec![
        ("reservation", Closed::Reservation(r)),
        ("order", Closed::Order(o)),
        ("purchase_order", Closed::PurchaseOrder(po)),
    ]
}

// ---- golden files ---------------------------------------------------------------------------

const BLESS_VAR: &str = "STOCKBOOK_BLESS_GOLDEN";

fn golden_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/format/golden")
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The committed goldens of one version: (file, name) → bytes.
fn read_goldens(dir: &std::path::Path) -> BTreeMap<(String, String), Vec<u8>> {
    let mut out = BTreeMap::new();
    for file in std::fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|e| e != "hex") {
            continue;
        }
        let kind = path.file_stem().unwrap().to_string_lossy().into_owned();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, bytes) = line.split_once(' ').expect("`name hex` lines");
            let old = out.insert((kind.clone(), name.to_owned()), unhex(bytes.trim()));
            assert!(old.is_none(), "{}: {name} twice", path.display());
        }
    }
    out
}

/// Writes the goldens of this build's format version: the whole directory once, then only
/// the samples added since (appended to their files). A committed line is never rewritten:
/// a sample whose bytes changed stays a failure, since an encoding that changes is a new
/// format version.
fn bless(entries: &[Entry]) {
    let dir = golden_root().join(format!("v{FORMAT_VERSION}"));
    if dir.exists() {
        let committed = read_goldens(&dir);
        let mut added: BTreeMap<&str, String> = BTreeMap::new();
        for e in entries {
            if !committed.contains_key(&(e.file.to_owned(), e.name.clone())) {
                let text = added.entry(e.file).or_default();
                text.push_str(&e.name);
                text.push(' ');
                text.push_str(&hex(&e.bytes));
                text.push('\n');
            }
        }
        for (file, text) in added {
            let path = dir.join(format!("{file}.hex"));
            let mut old = std::fs::read_to_string(&path).unwrap_or_default();
            if !old.is_empty() && !old.ends_with('\n') {
                old.push('\n');
            }
            std::fs::write(&path, old + &text).unwrap();
        }
        return;
    }
    let draft = golden_root().join(format!(".v{FORMAT_VERSION}.draft"));
    let _ = std::fs::remove_dir_all(&draft);
    std::fs::create_dir_all(&draft).unwrap();
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    for e in entries {
        let text = files.entry(e.file).or_insert_with(|| {
            format!(
                "# Golden bytes of format {FORMAT_VERSION}: {} records, `name hex` per line.\n\
                 # Written by `{BLESS_VAR}=1 cargo test -p stockbook --lib store::schema`; \
                 never edited.\n",
                e.file
            )
        });
        text.push_str(&e.name);
        text.push(' ');
        text.push_str(&hex(&e.bytes));
        text.push('\n');
    }
    for (file, text) in files {
        std::fs::write(draft.join(format!("{file}.hex")), text).unwrap();
    }
    std::fs::rename(&draft, &dir).unwrap();
}

#[test]
fn every_record_kind_and_variant_keeps_its_golden_bytes() {
    let entries = entries();
    if std::env::var_os(BLESS_VAR).is_some() {
        bless(&entries);
    }
    let dir = golden_root().join(format!("v{FORMAT_VERSION}"));
    let committed = read_goldens(&dir);
    let mut problems = Vec::new();
    for e in &entries {
        let key = (e.file.to_owned(), e.name.clone());
        match committed.get(&key) {
            None => problems.push(format!("{}/{}: no golden bytes", e.file, e.name)),
            Some(golden) => {
                if *golden != e.bytes {
                    problems.push(format!(
                        "{}/{}: this build writes {}, the golden is {}",
                        e.file,
                        e.name,
                        hex(&e.bytes),
                        hex(golden)
                    ));
                }
                if let Err(why) = (e.decodes_to_sample)(golden) {
                    problems.push(format!("{}/{}: the golden {why}", e.file, e.name));
                }
            }
        }
    }
    let names: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e.file.to_owned(), e.name.clone()))
        .collect();
    for key in committed.keys() {
        if !names.contains(key) {
            problems.push(format!("{}/{}: golden without a sample", key.0, key.1));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_goldens_of_every_committed_version_keep_decoding() {
    let mut versions = 0;
    for dir in std::fs::read_dir(golden_root()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.file_name().unwrap().to_string_lossy().starts_with('v') {
            continue;
        }
        versions += 1;
        for ((file, name), bytes) in read_goldens(&dir) {
            decodes_as_its_kind(&file, &bytes)
                .unwrap_or_else(|e| panic!("{}: {file}/{name}: {e}", dir.display()));
        }
    }
    assert!(versions > 0, "no goldens under {}", golden_root().display());
}

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

// ---- properties ----------------------------------------------------------------------------

fn qty() -> impl Strategy<Value = Qty> {
    (any::<i64>(), 0u8..=18).prop_map(|(u, s)| Qty::from_units(u, s).unwrap())
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 @/é-]{0,12}"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..3)
}

fn item_strategy(dimensions: bool) -> impl Strategy<Value = Item> {
    (
        (
            text(),
            text(),
            text(),
            any::<u8>(),
            0..3u8,
            any::<Option<u32>>(),
        ),
        (
            proptest::collection::vec((text(), qty()), 0..3),
            any::<bool>(),
            opt_text(),
            proptest::collection::btree_map(text(), text(), 0..3),
            any::<bool>(),
        ),
        proptest::option::of(any::<(u32, u32, u32)>()),
        any::<Option<u64>>(),
    )
        .prop_map(
            move |((sku, name, unit, decimals, t, life), rest, dims, weight)| {
                let (conversions, allow_negative, category, attributes, archived) = rest;
                Item {
                    sku,
                    name,
                    unit,
                    decimals,
                    tracking: [Tracking::None, Tracking::Lot, Tracking::Serial][usize::from(t)],
                    shelf_life_days: life,
                    conversions: conversions
                        .into_iter()
                        .map(|(unit, factor)| UnitConversion { unit, factor })
                        .collect(),
                    allow_negative,
                    category,
                    attributes,
                    archived,
                    dimensions: dims.filter(|_| dimensions).map(|(l, w, h)| Dimensions {
                        length_mm: l,
                        width_mm: w,
                        height_mm: h,
                    }),
                    weight_g: weight.filter(|_| dimensions),
                }
            },
        )
}

fn movement_strategy() -> impl Strategy<Value = Movement> {
    (
        (0..11usize, text(), opt_text(), text(), text(), qty()),
        (
            texts(),
            proptest::option::of(qty()),
            opt_text(),
            opt_text(),
            opt_text(),
        ),
    )
        .prop_map(
            |((k, sku, lot, from, to, qty), (serials, cost, cur, reason, tr))| {
                use MovementKind as K;
                let kinds = [
                    K::Receive,
                    K::Issue,
                    K::Ship,
                    K::Adjust,
                    K::Scrap,
                    K::Transfer,
                    K::Dispatch,
                    K::TransferReceipt,
                    K::Count,
                    K::Pick,
                    K::Return,
                ];
                Movement {
                    kind: kinds[k],
                    sku,
                    lot,
                    from,
                    to,
                    qty,
                    serials,
                    unit_cost: cost,
                    currency: cur,
                    reason_code: reason,
                    transfer: tr,
                }
            },
        )
}

/// Events of every variant, items without dimensions unless `dimensions`; records whose
/// shape the samples above cover are varied in their quantities and codes.
fn event_strategy(dimensions: bool) -> impl Strategy<Value = Event> {
    prop_oneof![
        item_strategy(dimensions).prop_map(Event::ItemDefined),
        item_strategy(dimensions).prop_map(Event::ItemUpdated),
        text().prop_map(|sku| Event::ItemArchived { sku }),
        (
            text(),
            0..10usize,
            opt_text(),
            any::<Option<(i32, i32, i32)>>(),
            any::<[bool; 3]>()
        )
            .prop_map(|(code, k, parent, xyz, [p, r, a])| {
                let kinds = [
                    LocationKind::Site,
                    LocationKind::Zone,
                    LocationKind::Aisle,
                    LocationKind::Bin,
                    LocationKind::Supplier,
                    LocationKind::Customer,
                    LocationKind::Adjustment,
                    LocationKind::Scrap,
                    LocationKind::InTransit,
                    LocationKind::Production,
                ];
                Event::LocationUpdated(Location {
                    kind: kinds[k],
                    parent,
                    coordinates: xyz.map(|(x, y, z)| Coordinates { x, y, z }),
                    pickable: p,
                    receivable: r,
                    archived: a,
                    ..location_with_code(code)
                })
            }),
        text().prop_map(|code| Event::LocationArchived { code }),
        (text(), any::<Option<i64>>()).prop_map(|(lot_code, expiry)| Event::LotDefined(Lot {
            lot: lot_code,
            expiry,
            ..lot()
        })),
        movement_strategy().prop_map(Event::Moved),
        (text(), qty(), texts()).prop_map(|(id, qty, serials)| Event::TransferReceived {
            id,
            qty,
            serials
        }),
        (qty(), qty()).prop_map(|(counted, expected)| Event::Counted(CountRecord {
            sku: "A".into(),
            location: "B".into(),
            lot: None,
            counted,
            expected,
        })),
        (qty(), 0..4usize, any::<Option<u32>>()).prop_map(|(qty, s, line)| {
            let states = [
                ReservationState::Pending,
                ReservationState::Committed,
                ReservationState::Released,
                ReservationState::Expired,
            ];
            Event::ReservationCreated(Reservation {
                qty,
                state: states[s],
                line,
                ..reservation()
            })
        }),
        (text(), qty()).prop_map(|(id, qty)| Event::ReservationCommitted { id, qty }),
        (text(), qty()).prop_map(|(id, qty)| Event::ReservationReleased { id, qty }),
        text().prop_map(|id| Event::ReservationExpired { id }),
        (text(), 0..9usize, qty()).prop_map(|(step, s, shipped)| {
            let states = [
                OrderState::Draft,
                OrderState::Confirmed,
                OrderState::Allocated,
                OrderState::Picking,
                OrderState::Packed,
                OrderState::Shipped,
                OrderState::Backordered,
                OrderState::Delivered,
                OrderState::Cancelled,
            ];
            let mut order = order();
            order.state = states[s];
            order.lines[0].shipped = shipped;
            Event::OrderChanged {
                step,
                order: Box::new(order),
            }
        }),
        (text(), 0..5usize, proptest::option::of(qty())).prop_map(|(step, s, tolerance)| {
            let states = [
                PurchaseOrderState::Open,
                PurchaseOrderState::PartiallyReceived,
                PurchaseOrderState::Received,
                PurchaseOrderState::Closed,
                PurchaseOrderState::Cancelled,
            ];
            let mut po = purchase_order();
            po.state = states[s];
            po.over_receipt = tolerance.map_or(OverReceipt::Refuse, |tolerance_pct| {
                OverReceipt::Allow { tolerance_pct }
            });
            Event::PurchaseOrderChanged {
                step,
                order: Box::new(po),
            }
        }),
    ]
}

fn location_with_code(code: String) -> Location {
    Location { code, ..location() }
}

fn error_strategy() -> impl Strategy<Value = Error> {
    let leaf = (0..errors().len(), text(), text()).prop_map(|(i, a, b)| {
        let (_, e) = errors().swap_remove(i);
        // Vary the texts of the variants that are made of two texts.
        match e {
            Error::NotFound { .. } => Error::NotFound { kind: a, key: b },
            Error::Conflict { .. } => Error::Conflict { key: a, reason: b },
            Error::InvalidArgument { .. } => Error::InvalidArgument {
                field: a,
                reason: b,
            },
            other => other,
        }
    });
    leaf.prop_recursive(2, 4, 1, |inner| {
        (any::<u32>(), inner).prop_map(|(index, source)| Error::BatchRefused {
            index,
            source: Box::new(source),
        })
    })
}

fn command_strategy(dimensions: bool) -> impl Strategy<Value = Command> {
    (
        0..commands().len(),
        item_strategy(dimensions),
        qty(),
        text(),
        opt_text(),
    )
        .prop_map(|(i, item, qty, code, opt)| {
            let (_, command) = commands().swap_remove(i);
            match command {
                Command::DefineItem(_) => Command::DefineItem(item),
                Command::UpdateItem(_) => Command::UpdateItem(item),
                Command::Receive(r) => Command::Receive(Receive {
                    qty,
                    from: opt,
                    ..r
                }),
                Command::ArchiveLocation { .. } => Command::ArchiveLocation { code },
                Command::ReleaseReservation { reservation_id, .. } => Command::ReleaseReservation {
                    reservation_id,
                    qty: Some(qty),
                },
                Command::FillBackorders(f) => {
                    Command::FillBackorders(FillBackorders { sku: opt, ..f })
                }
                other => other,
            }
        })
}

fn meta_strategy() -> impl Strategy<Value = Meta> {
    (
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        any::<Option<i64>>(),
    )
        .prop_map(|(actor, key, correlation, reason, effective_at)| Meta {
            actor,
            key,
            correlation,
            reason,
            effective_at,
        })
}

fn is_item(event: &Event) -> bool {
    matches!(event, Event::ItemDefined(_) | Event::ItemUpdated(_))
}

fn is_item_command(command: &Command) -> bool {
    matches!(command, Command::DefineItem(_) | Command::UpdateItem(_))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn events_round_trip_through_their_stored_form(
        event in event_strategy(true),
        seq in any::<u64>(),
    ) {
        let env = envelope(seq, event);
        let bytes = postcard(&EnvelopeV1::from_public(&env));
        prop_assert_eq!(decode_envelope(&bytes).unwrap(), env);
    }

    #[test]
    fn events_other_than_items_are_stored_as_format_4_stored_the_public_type(
        event in event_strategy(false),
    ) {
        let env = envelope(5, event);
        let stored = postcard(&EnvelopeV1::from_public(&env));
        if is_item(&env.event) {
            // Written with the new tag; the old tag's shape is the public one less two fields.
            let v1 = match &env.event {
                Event::ItemDefined(i) => StoredEvent::ItemDefined(ItemV1::carrying(i).unwrap()),
                Event::ItemUpdated(i) => StoredEvent::ItemUpdated(ItemV1::carrying(i).unwrap()),
                _ => unreachable!(),
            };
            let mut old = postcard(&EnvelopeV1 { event: v1, ..EnvelopeV1::from_public(&env) });
            old.extend([0, 0]);
            prop_assert_eq!(postcard(&env), old);
        } else {
            prop_assert_eq!(postcard(&env), stored);
        }
    }

    #[test]
    fn outcomes_round_trip_and_are_stored_as_format_4_stored_them(
        error in error_strategy(),
        ok in any::<bool>(),
        fp in proptest::collection::vec(any::<u8>(), 0..40),
        at in any::<i64>(),
    ) {
        let outcome = if ok { Ok(receipts()) } else { Err(error) };
        let bytes = encode_key_record_v1(&fp, &outcome).unwrap();
        // Format 4: `[1] ++ postcard(KeyRecord { fingerprint, outcome })` of public types.
        let mut old = vec![1];
        old.extend(postcard(&(&fp, &outcome)));
        prop_assert_eq!(&bytes, &old);
        prop_assert_eq!(
            decode_key_record(&bytes).unwrap(),
            (fp.clone(), outcome.clone(), None)
        );
        // This build: `[4] ++ postcard((recorded_at, fingerprint, outcome))`.
        let bytes = encode_key_record(&fp, &outcome, at).unwrap();
        let mut new = vec![4];
        new.extend(postcard(&(at, &fp, &outcome)));
        prop_assert_eq!(&bytes, &new);
        prop_assert_eq!(
            decode_key_record(&bytes).unwrap(),
            (fp, outcome.clone(), Some(at))
        );
        let stored = StoredOutcome::from_public(&outcome);
        prop_assert_eq!(stored.into_public(), outcome);
    }

    #[test]
    fn commands_round_trip_through_their_canonical_form(
        commands in proptest::collection::vec(command_strategy(true), 1..4),
        meta in meta_strategy(),
    ) {
        let bytes = fingerprint(&commands, &meta).unwrap();
        prop_assert_eq!(decode_fingerprint(&bytes).unwrap(), (commands, unkeyed(&meta)));
    }

    #[test]
    fn fingerprints_of_commands_without_the_new_fields_are_format_4s(
        commands in proptest::collection::vec(command_strategy(false), 1..4),
        meta in meta_strategy(),
    ) {
        let bytes = fingerprint(&commands, &meta).unwrap();
        prop_assert_eq!(bytes, format_4_fingerprint(&commands, &meta));
    }
}

/// The fingerprint format 4 computed, `[1] ++ postcard((commands, meta without key))` of
/// the public types, as format 4's public types wrote it: today's public item has two more
/// fields at its end, absent here, which format 4's did not have.
fn format_4_fingerprint(commands: &[Command], meta: &Meta) -> Vec<u8> {
    assert!(commands.len() < 128, "a one-byte length");
    let mut old = vec![1, commands.len() as u8];
    for command in commands {
        let mut bytes = postcard(command);
        if is_item_command(command) {
            assert_eq!(
                bytes.split_off(bytes.len() - 2),
                [0, 0],
                "no dimensions, no weight"
            );
        }
        old.extend(bytes);
    }
    old.extend(postcard(&unkeyed(meta)));
    old
}

#[test]
fn every_sample_command_without_dimensions_has_format_4s_fingerprint() {
    let meta = meta();
    let mut compared = 0;
    for (name, command) in commands() {
        if name.ends_with("dimensions") {
            continue;
        }
        let commands = [command];
        assert_eq!(
            fingerprint(&commands, &meta).unwrap(),
            format_4_fingerprint(&commands, &meta),
            "{name}"
        );
        compared += 1;
    }
    assert_eq!(compared, 34, "every command variant of format 4");
}

#[test]
fn items_with_dimensions_and_weight_are_written_as_v2_and_read_back_from_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dims.stockbook");
    let sb = crate::Stockbook::open(&path).unwrap();
    sb.define_item(item_with_dimensions()).unwrap();
    sb.define_item(Item::new("PLAIN")).unwrap();
    sb.close().unwrap();
    let sb = crate::Stockbook::open(&path).unwrap();
    let logged: Vec<Event> = sb
        .events(1, 10)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        logged,
        [
            Event::ItemDefined(item_with_dimensions()),
            Event::ItemDefined(Item::new("PLAIN"))
        ]
    );
    assert_eq!(sb.item("BOLT-M8").unwrap(), item_with_dimensions());
    assert_eq!(sb.item("PLAIN").unwrap().dimensions, None);
    sb.close().unwrap();
}

#[test]
fn zero_dimensions_and_weight_are_refused_as_invalid_arguments() {
    let sb = crate::Stockbook::in_memory().unwrap();
    for (field, item) in [
        (
            "dimensions.width_mm",
            Item {
                dimensions: Some(Dimensions {
                    length_mm: 1,
                    width_mm: 0,
                    height_mm: 1,
                }),
                ..Item::new("A")
            },
        ),
        (
            "weight_g",
            Item {
                weight_g: Some(0),
                ..Item::new("A")
            },
        ),
    ] {
        match sb.define_item(item).unwrap_err() {
            Error::InvalidArgument { field: f, .. } => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(sb.items().unwrap().is_empty());
}
