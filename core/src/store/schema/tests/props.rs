//! Properties tying the stored types to the public ones.

use super::*;

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
            Error::NotFound { kind, .. } => Error::NotFound {
                kind,
                key: format!("{a}{b}"),
            },
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
