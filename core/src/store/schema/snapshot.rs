//! The snapshot container and the `folded` meta record.
//!
//! A snapshot is the ledger state and the unfolded index rows of its time. Format 4 wrote
//! `[2] ++ LZ4(postcard(SnapshotV1))` (files of format 1 and 2 wrote the state alone,
//! [`StateV1`]); this build writes `[3] ++ LZ4(postcard(SnapshotV2))`, whose items carry
//! dimensions and weight. A V1 snapshot is upcast on read.
//!
//! The containers are plain records: the ledger builds them from its state and rebuilds
//! its state from them, each record converted with the `From` impls of its stored type.

use serde::{Deserialize, Serialize};

use super::event::TransferRecordV1;
use super::records::{ItemV1, ItemV2, LocationV1, LotV1, OrderV1, PurchaseOrderV1, ReservationV1};
use super::{FromPublic, IntoPublic, decode_whole, stored_struct};
use crate::error::Result;
use crate::store::codec;
use crate::store::recent::Folded;

/// Record version byte of a [`SnapshotV2`] (LZ4-compressed postcard, like version 2).
pub(crate) const SNAPSHOT_V2: u8 = 3;

/// Key of a balance: (sku, location, lot or "").
pub(crate) type BalanceKeyV1 = (String, String, String);

/// The ledger state of a format-4 snapshot: the fields of `ledger::state::StateImage`, in
/// its order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct StateV1 {
    /// Items.
    pub items: Vec<ItemV1>,
    /// Locations.
    pub locations: Vec<LocationV1>,
    /// Lots.
    pub lots: Vec<LotV1>,
    /// (sku, serial, location).
    pub serials: Vec<(String, String, String)>,
    /// On hand by balance key, in units of the item's precision.
    pub balances: Vec<(BalanceKeyV1, i64)>,
    /// Open transfers.
    pub transfers: Vec<TransferRecordV1>,
    /// Counts recorded.
    pub counts: u64,
    /// Movements per item.
    pub moves: Vec<(String, u64)>,
    /// When each positive balance last rose from zero.
    pub received: Vec<(BalanceKeyV1, i64)>,
    /// Reservations.
    pub reservations: Vec<ReservationV1>,
    /// Orders.
    pub orders: Vec<OrderV1>,
    /// The last event's sequence.
    pub last_seq: u64,
    /// Purchase orders.
    pub purchase_orders: Vec<PurchaseOrderV1>,
}

/// [`StateV1`] with items of [`ItemV2`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct StateV2 {
    /// Items.
    pub items: Vec<ItemV2>,
    /// Locations.
    pub locations: Vec<LocationV1>,
    /// Lots.
    pub lots: Vec<LotV1>,
    /// (sku, serial, location).
    pub serials: Vec<(String, String, String)>,
    /// On hand by balance key, in units of the item's precision.
    pub balances: Vec<(BalanceKeyV1, i64)>,
    /// Open transfers.
    pub transfers: Vec<TransferRecordV1>,
    /// Counts recorded.
    pub counts: u64,
    /// Movements per item.
    pub moves: Vec<(String, u64)>,
    /// When each positive balance last rose from zero.
    pub received: Vec<(BalanceKeyV1, i64)>,
    /// Reservations.
    pub reservations: Vec<ReservationV1>,
    /// Orders.
    pub orders: Vec<OrderV1>,
    /// The last event's sequence.
    pub last_seq: u64,
    /// Purchase orders.
    pub purchase_orders: Vec<PurchaseOrderV1>,
}

impl StateV1 {
    /// The upcast: items without dimensions and weight.
    pub(crate) fn upcast(self) -> StateV2 {
        StateV2 {
            items: self.items.into_iter().map(ItemV1::upcast).collect(),
            locations: self.locations,
            lots: self.lots,
            serials: self.serials,
            balances: self.balances,
            transfers: self.transfers,
            counts: self.counts,
            moves: self.moves,
            received: self.received,
            reservations: self.reservations,
            orders: self.orders,
            last_seq: self.last_seq,
            purchase_orders: self.purchase_orders,
        }
    }
}

/// The unfolded index rows and history pairs of a snapshot's time: the fields of
/// `store::recent::RecentImage`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct RecentV1 {
    /// (sku, location, axis code, ordinal, seq, value).
    pub moves: Vec<(String, String, u8, i64, u64, i64)>,
    /// (sku, seq).
    pub pairs: Vec<(String, u64)>,
}

/// A format-4 snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct SnapshotV1 {
    /// The ledger state.
    pub state: StateV1,
    /// The unfolded rows.
    pub recent: RecentV1,
}

/// The snapshot this build writes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct SnapshotV2 {
    /// The ledger state.
    pub state: StateV2,
    /// The unfolded rows.
    pub recent: RecentV1,
}

impl SnapshotV1 {
    /// The upcast: items without dimensions and weight.
    pub(crate) fn upcast(self) -> SnapshotV2 {
        SnapshotV2 {
            state: self.state.upcast(),
            recent: self.recent,
        }
    }
}

/// Encodes a snapshot.
pub(crate) fn encode_snapshot(snapshot: &SnapshotV2) -> Result<Vec<u8>> {
    codec::encode_compressed_as(SNAPSHOT_V2, snapshot)
}

/// Decodes a snapshot of any version: the state, and the unfolded rows where the snapshot
/// has them (files of format 1 and 2 stored the state alone, when every row was folded).
pub(crate) fn decode_snapshot(bytes: &[u8]) -> Result<(StateV2, Option<RecentV1>)> {
    match bytes.first() {
        Some(&SNAPSHOT_V2) => {
            let snapshot: SnapshotV2 = decode_whole(&codec::decompress(&bytes[1..])?)?;
            Ok((snapshot.state, Some(snapshot.recent)))
        }
        _ => {
            let body = codec::body(bytes)?;
            match decode_whole::<SnapshotV1>(&body) {
                Ok(snapshot) => {
                    let snapshot = snapshot.upcast();
                    Ok((snapshot.state, Some(snapshot.recent)))
                }
                Err(whole) => match decode_whole::<StateV1>(&body) {
                    Ok(state) => Ok((state.upcast(), None)),
                    Err(_) => Err(whole),
                },
            }
        }
    }
}

/// How far folding went ([`Folded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct FoldedV1 {
    /// Every row of every event up to this sequence is folded.
    pub seq: u64,
    /// The block being folded.
    pub block: Option<u64>,
    /// Index rows of that block folded.
    pub moves_done: u64,
    /// History pairs of that block folded.
    pub pairs_done: u64,
}
stored_struct!(Folded => FoldedV1 { seq, block, moves_done, pairs_done });

/// Encodes `meta["folded"]`: `[1] ++ postcard(FoldedV1)`.
pub(crate) fn encode_folded(folded: &Folded) -> Result<Vec<u8>> {
    codec::encode(&FoldedV1::from_public(folded))
}

/// Decodes `meta["folded"]`.
pub(crate) fn decode_folded(bytes: &[u8]) -> Result<Folded> {
    let stored: FoldedV1 = decode_whole(&codec::body(bytes)?)?;
    Ok(stored.into_public())
}
