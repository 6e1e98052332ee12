//! The samples every golden and property test encodes.

use super::*;
use crate::error::EntityKind;

// ---- samples ------------------------------------------------------------------------------

pub(super) fn item() -> Item {
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

pub(super) fn item_with_dimensions() -> Item {
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

pub(super) fn location() -> Location {
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

pub(super) fn lot() -> Lot {
    Lot {
        sku: "BOLT-M8".into(),
        lot: "L-7".into(),
        expiry: Some(1_800_000_000_000),
        produced: Some(1_700_000_000_000),
        first_received: None,
    }
}

pub(super) fn movement() -> Movement {
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

pub(super) fn reservation() -> Reservation {
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

pub(super) fn order() -> Order {
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

pub(super) fn purchase_order() -> PurchaseOrder {
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
pub(super) fn events() -> Vec<(&'static str, Event)> {
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

/// A recorded forecast with intervals.
pub(super) fn forecast_record() -> crate::event::ForecastRecord {
    crate::event::ForecastRecord {
        sku: "BOLT-M8".into(),
        site: "WH1".into(),
        made_at: 1_699_999_000_000,
        bucket: crate::planning::Bucket::Week,
        start: crate::planning::Bucket::Week.start_of(1_699_999_000_000),
        points: vec![12.5, 0.0, 7.25],
        lower: Some(vec![10.0, 0.0, 5.5]),
        upper: Some(vec![15.0, 1.5, 9.0]),
        level: Some(95.0),
        method: "ses_optimized".into(),
    }
}

pub(super) fn envelope(seq: u64, event: Event) -> Envelope {
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
pub(super) fn errors() -> Vec<(&'static str, Error)> {
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
            kind: EntityKind::Item,
            key: s("NOPE"),
        },
        Error::AlreadyExists {
            kind: EntityKind::Item,
            key: s("BOLT-M8"),
        },
        Error::Archived {
            kind: EntityKind::Location,
            key: s("OLD"),
        },
        Error::NotEmpty {
            kind: EntityKind::Location,
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
            entity: EntityKind::Order,
            id: s("SO-1"),
            state: s("shipped"),
            step: s("cancel"),
        },
        Error::BatchRefused {
            index: 2,
            source: Box::new(Error::NotFound {
                kind: EntityKind::Lot,
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
            cause: None,
        },
        Error::Storage {
            message: s("disk full"),
            cause: None,
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

pub(super) fn receipts() -> Vec<Receipt> {
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
pub(super) fn commands() -> Vec<(&'static str, Command)> {
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

pub(super) fn meta() -> Meta {
    Meta::new()
        .actor("clerk")
        .key("k-1")
        .correlation("SO-1")
        .reason("restock")
        .effective_at(1_699_999_000_000)
}

pub(super) fn unkeyed(meta: &Meta) -> Meta {
    Meta {
        key: None,
        ..meta.clone()
    }
}

pub(super) fn index_rows(location: &str, n: u64) -> Vec<MoveRow> {
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

pub(super) fn snapshot_v1() -> SnapshotV1 {
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

pub(super) fn snapshot_v2() -> SnapshotV2 {
    let mut snapshot = snapshot_v1().upcast();
    snapshot.state.items.push((&item_with_dimensions()).into());
    snapshot
}

/// The events added after format 6's first goldens: written under their own names, so
/// that the committed chunk of every event keeps its bytes.
pub(super) fn later_events() -> Vec<(&'static str, Event)> {
    vec![(
        "forecast_recorded",
        Event::ForecastRecorded(forecast_record()),
    )]
}

/// The commands added after format 4 that the fingerprint samples above leave out.
pub(super) fn later_commands() -> Vec<(&'static str, Command)> {
    vec![
        (
            "record_forecast",
            Command::RecordForecast(
                crate::planning::RecordForecast::new(
                    "BOLT-M8",
                    "WH1",
                    crate::planning::Bucket::Day,
                    19_675 * crate::model::DAY_MS,
                    vec![3.0, 4.5],
                    "naive",
                )
                .made_at(19_674 * crate::model::DAY_MS),
            ),
        ),
        (
            "record_forecasts",
            Command::RecordForecasts(crate::planning::RecordForecasts::new(vec![
                crate::planning::RecordForecast::new(
                    "BOLT-M8",
                    "WH1",
                    crate::planning::Bucket::Week,
                    forecast_record().start,
                    vec![12.5],
                    "croston_sba",
                )
                .lower(vec![10.0])
                .upper(vec![15.0])
                .level(80.0),
            ])),
        ),
    ]
}
