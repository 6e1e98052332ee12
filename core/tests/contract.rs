//! The one definition of every command and query: JSON round trips of every variant, the
//! answers of `Stockbook::query` against the read methods, refusals that name the user's
//! field in plain words, and the generated JSON Schema against real inputs and answers.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};
use stockbook::command::{decode, schema};
use stockbook::ledger::BalanceFilter;
use stockbook::orders::{ReservationFilter, Strategy};
use stockbook::planning::forecast::Method;
use stockbook::planning::{Bucket, PlanOptions, PurchaseOrderFilter};
use stockbook::{
    AccuracyOptions, Answer, AsOf, Command, Error, ManualClock, Meta, Options, Qty, Query, Result,
    Stockbook, WhatIfOptions, WhatIfPolicy,
};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400_000;

/// One command of every kind, in an order that a fresh book accepts.
fn script() -> Vec<Value> {
    let op = |op: &str, args: Value| json!({"op": op, "args": args});
    vec![
        op("define_item", json!({"sku": "A", "name": "Bolt"})),
        op("update_item", json!({"sku": "A", "name": "Bolt M8"})),
        op("define_item", json!({"sku": "L", "tracking": "lot"})),
        op("define_item", json!({"sku": "S", "tracking": "serial"})),
        op("define_item", json!({"sku": "OLD"})),
        op("archive_item", json!({"sku": "OLD"})),
        op("define_location", json!({"code": "WH1", "kind": "site"})),
        op("define_location", json!({"code": "WH1/A", "parent": "WH1"})),
        op("define_location", json!({"code": "WH1/B", "parent": "WH1"})),
        op(
            "update_location",
            json!({"code": "WH1/B", "parent": "WH1", "name": "Bin B"}),
        ),
        op("define_location", json!({"code": "TMP"})),
        op("archive_location", json!({"code": "TMP"})),
        op(
            "define_lot",
            json!({"sku": "L", "lot": "L1", "expiry": T0 + 100 * DAY}),
        ),
        op(
            "receive",
            json!({"sku": "A", "location": "WH1/A", "qty": "100"}),
        ),
        op(
            "receive",
            json!({"sku": "L", "location": "WH1/A", "qty": 10, "lot": "L1"}),
        ),
        op(
            "receive",
            json!({"sku": "S", "location": "WH1/A", "qty": 2, "serials": ["S1", "S2"]}),
        ),
        op(
            "issue",
            json!({"sku": "A", "location": "WH1/A", "qty": "1"}),
        ),
        op("ship", json!({"sku": "A", "location": "WH1/A", "qty": "1"})),
        op(
            "return_stock",
            json!({"sku": "A", "location": "WH1/A", "qty": "1", "reason_code": "damaged"}),
        ),
        op(
            "record_forecast",
            json!({"sku": "A", "site": "WH1", "bucket": "day", "start": T0, "points": [1.5, 2],
                   "method": "naive", "made_at": T0 - DAY, "lower": [1, 1], "upper": [2, 3],
                   "level": 80}),
        ),
        op(
            "record_forecasts",
            json!({"forecasts": [{"sku": "A", "site": "WH1", "bucket": "week",
                   "start": T0 - 3 * DAY, "points": [7], "method": "croston_sba"}]}),
        ),
        op(
            "adjust",
            json!({"sku": "A", "location": "WH1/A", "qty": "-1", "reason_code": "damaged"}),
        ),
        op(
            "scrap",
            json!({"sku": "A", "location": "WH1/A", "qty": "1"}),
        ),
        op(
            "transfer",
            json!({"sku": "A", "from": "WH1/A", "to": "WH1/B", "qty": "10"}),
        ),
        op(
            "dispatch_transfer",
            json!({"transfer_id": "TR1", "sku": "A", "from": "WH1/B", "to": "WH1/A", "qty": "5"}),
        ),
        op(
            "receive_transfer",
            json!({"transfer_id": "TR1", "qty": "2"}),
        ),
        op(
            "count",
            json!({"sku": "A", "location": "WH1/B", "counted": "6"}),
        ),
        op(
            "reserve",
            json!({"reservation_id": "R1", "sku": "A", "qty": "5", "scope": "WH1"}),
        ),
        op(
            "commit_reservation",
            json!({"reservation_id": "R1", "qty": "2"}),
        ),
        op(
            "reserve",
            json!({"reservation_id": "R2", "sku": "A", "qty": "3", "scope": "WH1"}),
        ),
        op(
            "release_reservation",
            json!({"reservation_id": "R2", "qty": "1"}),
        ),
        op("expire_due", json!({})),
        op(
            "create_order",
            json!({"order_id": "O1", "ship_from": "WH1", "lines": [{"sku": "A", "qty": "4"}]}),
        ),
        op("confirm_order", json!({"order_id": "O1"})),
        op(
            "allocate_order",
            json!({"order_id": "O1", "strategy": {"ordered": {"locations": ["WH1/A"]}}}),
        ),
        op(
            "pick_order",
            json!({"order_id": "O1", "line": 1, "location": "WH1/A", "qty": "4"}),
        ),
        op(
            "pack_order",
            json!({"order_id": "O1", "packages": [{"id": "P1", "contents": [{"line": 1, "qty": "4"}]}]}),
        ),
        op("ship_order", json!({"order_id": "O1"})),
        op("deliver_order", json!({"order_id": "O1"})),
        op(
            "create_order",
            json!({"order_id": "O2", "ship_from": "WH1", "priority": 5, "lines": [{"sku": "A", "qty": "1"}]}),
        ),
        op("cancel_order", json!({"order_id": "O2"})),
        op(
            "create_order",
            json!({"order_id": "O3", "ship_from": "WH1", "lines": [{"sku": "A", "qty": "1000"}]}),
        ),
        op("confirm_order", json!({"order_id": "O3"})),
        op(
            "allocate_orders",
            json!({"order_ids": ["O3"], "policy": "fair_share"}),
        ),
        op("fill_backorders", json!({"sku": "A"})),
        op(
            "create_purchase_order",
            json!({"po_id": "PO1", "supplier": "ACME", "location": "WH1",
                   "lines": [{"sku": "A", "qty": "50"}], "expected_at": T0 + 7 * DAY}),
        ),
        op(
            "receive_purchase_order",
            json!({"po_id": "PO1", "line": 1, "qty": "20", "location": "WH1/A"}),
        ),
        op("close_purchase_order", json!({"po_id": "PO1"})),
        op(
            "create_purchase_order",
            json!({"po_id": "PO2", "supplier": "ACME", "location": "WH1",
                   "lines": [{"sku": "L", "qty": "5"}], "expected_at": T0 + 7 * DAY,
                   "over_receipt": {"allow": {"tolerance_pct": "10"}}}),
        ),
        op("cancel_purchase_order", json!({"po_id": "PO2"})),
        op(
            "create_purchase_order",
            json!({"po_id": "PO3", "supplier": "ACME", "location": "WH1",
                   "lines": [{"sku": "A", "qty": "30"}], "expected_at": T0 + 7 * DAY}),
        ),
    ]
}

/// A book that took every command of [`script`], each read through [`Command::from_value`].
fn book() -> Stockbook {
    let clock: Arc<ManualClock> = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock)).unwrap();
    for (i, step) in script().into_iter().enumerate() {
        let command = Command::from_value(step.clone()).unwrap();
        sb.execute(command, Meta::default())
            .unwrap_or_else(|e| panic!("step {i} {step}: {e}"));
    }
    sb
}

/// The `op`s of one of the schema's tagged definitions (`Command`, `Query`, `Answer`).
fn schema_ops(definition: &str) -> BTreeSet<String> {
    let doc = schema::document();
    doc["$defs"][definition]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["properties"]["op"]["const"].as_str().unwrap().to_owned())
        .collect()
}

fn ops_of(values: &[Value]) -> BTreeSet<String> {
    values
        .iter()
        .map(|v| v["op"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_command_round_trips_through_json() {
    let script = script();
    assert_eq!(
        ops_of(&script),
        schema_ops("Command"),
        "the script lacks a command"
    );
    for value in script {
        let command = Command::from_value(value.clone()).unwrap();
        let text = serde_json::to_string(&command).unwrap();
        assert_eq!(Command::from_json(&text).unwrap(), command, "{text}");
        assert_eq!(serde_json::to_value(&command).unwrap()["op"], value["op"]);
        assert_eq!(command.name(), value["op"].as_str().unwrap());
    }
}

type Read = fn(&Stockbook) -> Result<Answer>;

/// One query of every kind on [`book`], with the read method call it must answer as.
fn queries() -> Vec<(Value, Read)> {
    let q = |op: &str, args: Value| json!({"op": op, "args": args});
    let seq5 = json!({"seq": 5});
    vec![
        (q("item", json!({"sku": "A"})), |sb| {
            Ok(Answer::Item(sb.item("A")?))
        }),
        (q("items", json!({})), |sb| Ok(Answer::Items(sb.items()?))),
        (q("location", json!({"code": "WH1"})), |sb| {
            Ok(Answer::Location(sb.location("WH1")?))
        }),
        (q("locations", json!({})), |sb| {
            Ok(Answer::Locations(sb.locations()?))
        }),
        (q("children", json!({"code": "WH1"})), |sb| {
            Ok(Answer::Children(sb.children("WH1")?))
        }),
        (q("lot", json!({"sku": "L", "lot": "L1"})), |sb| {
            Ok(Answer::Lot(sb.lot("L", "L1")?))
        }),
        (q("lots", json!({"sku": "L"})), |sb| {
            Ok(Answer::Lots(sb.lots("L")?))
        }),
        (q("serial", json!({"sku": "S", "serial": "S1"})), |sb| {
            Ok(Answer::Serial(sb.serial("S", "S1")?))
        }),
        (
            q("serials_at", json!({"sku": "S", "location": "WH1/A"})),
            |sb| Ok(Answer::SerialsAt(sb.serials_at("S", "WH1/A")?)),
        ),
        (q("transfer", json!({"id": "TR1"})), |sb| {
            Ok(Answer::Transfer(sb.transfer("TR1")?))
        }),
        (q("on_hand", json!({"sku": "A", "location": "WH1"})), |sb| {
            Ok(Answer::OnHand(sb.on_hand("A", "WH1")?))
        }),
        (
            q(
                "on_hand_lot",
                json!({"sku": "L", "location": "WH1", "lot": "L1"}),
            ),
            |sb| Ok(Answer::OnHandLot(sb.on_hand_lot("L", "WH1", Some("L1"))?)),
        ),
        (q("item_total", json!({"sku": "A"})), |sb| {
            Ok(Answer::ItemTotal(sb.item_total("A")?))
        }),
        (q("balances", json!({"location": "WH1"})), |sb| {
            let filter = BalanceFilter::new().location("WH1");
            Ok(Answer::Balances(sb.balances(&filter)?))
        }),
        (
            q(
                "on_hand_at",
                json!({"sku": "A", "location": "WH1", "as_of": seq5}),
            ),
            |sb| Ok(Answer::OnHandAt(sb.on_hand_at("A", "WH1", AsOf::Seq(5))?)),
        ),
        (q("events", json!({"from_seq": 3, "limit": 4})), |sb| {
            Ok(Answer::Events(sb.events(3, 4)?))
        }),
        (
            q(
                "cloud_events",
                json!({"from_seq": 3, "limit": 4, "source": "east"}),
            ),
            |sb| Ok(Answer::CloudEvents(sb.cloud_events(3, 4, Some("east"))?)),
        ),
        (q("history", json!({"sku": "A"})), |sb| {
            Ok(Answer::History(sb.history("A", 1, 10_000)?))
        }),
        (q("reservation", json!({"id": "R1"})), |sb| {
            Ok(Answer::Reservation(sb.reservation("R1")?))
        }),
        (q("reservations", json!({"sku": "A"})), |sb| {
            let filter = ReservationFilter::new().sku("A");
            Ok(Answer::Reservations(sb.reservations(&filter)?))
        }),
        (
            q("stock_level", json!({"sku": "A", "location": "WH1"})),
            |sb| Ok(Answer::StockLevel(sb.stock_level("A", "WH1")?)),
        ),
        (
            q("reserved", json!({"sku": "A", "location": "WH1"})),
            |sb| Ok(Answer::Reserved(sb.reserved("A", "WH1")?)),
        ),
        (
            q("available", json!({"sku": "A", "location": "WH1"})),
            |sb| Ok(Answer::Available(sb.available("A", "WH1")?)),
        ),
        (
            q(
                "reserved_at",
                json!({"sku": "A", "location": "WH1", "as_of": {"time": T0}}),
            ),
            |sb| {
                Ok(Answer::ReservedAt(sb.reserved_at(
                    "A",
                    "WH1",
                    AsOf::Time(T0),
                )?))
            },
        ),
        (
            q(
                "available_at",
                json!({"sku": "A", "location": "WH1", "as_of": {"seq": 30}}),
            ),
            |sb| {
                Ok(Answer::AvailableAt(sb.available_at(
                    "A",
                    "WH1",
                    AsOf::Seq(30),
                )?))
            },
        ),
        (q("order", json!({"id": "O1"})), |sb| {
            Ok(Answer::Order(sb.order("O1")?))
        }),
        (q("orders", json!({"state": "delivered"})), |sb| {
            let state = Some(stockbook::orders::OrderState::Delivered);
            Ok(Answer::Orders(sb.orders(state)?))
        }),
        (q("backorders", json!({})), |sb| {
            Ok(Answer::Backorders(sb.backorders(None)?))
        }),
        (
            q(
                "plan_allocation",
                json!({"sku": "A", "qty": "7", "scope": "WH1", "strategy": "lifo"}),
            ),
            |sb| {
                let plan = sb.plan_allocation("A", Qty::from_int(7), "WH1", &Strategy::Lifo)?;
                Ok(Answer::PlanAllocation(plan))
            },
        ),
        (
            q(
                "demand_history",
                json!({"sku": "A", "location": "WH1", "bucket": "day", "from": T0 - DAY, "to": T0 + DAY}),
            ),
            |sb| {
                let history =
                    sb.demand_history("A", "WH1", Bucket::Day, T0 - DAY, T0 + DAY, false)?;
                Ok(Answer::DemandHistory(history))
            },
        ),
        (
            q(
                "replenishment_plan",
                json!({"history_periods": 8, "method": {"fixed": {"ses": {"alpha": 0.3}}}}),
            ),
            |sb| {
                let options = PlanOptions::new().history_periods(8).method(
                    stockbook::planning::PlanMethod::Fixed(Method::Ses { alpha: 0.3 }),
                );
                Ok(Answer::ReplenishmentPlan(sb.replenishment_plan(&options)?))
            },
        ),
        (q("purchase_order", json!({"id": "PO1"})), |sb| {
            Ok(Answer::PurchaseOrder(sb.purchase_order("PO1")?))
        }),
        (q("purchase_orders", json!({"supplier": "ACME"})), |sb| {
            let filter = PurchaseOrderFilter::new().supplier("ACME");
            Ok(Answer::PurchaseOrders(sb.purchase_orders(&filter)?))
        }),
        (
            q("on_order", json!({"sku": "A", "location": "WH1"})),
            |sb| Ok(Answer::OnOrder(sb.on_order("A", "WH1")?)),
        ),
        (q("lead_time_stats", json!({"supplier": "ACME"})), |sb| {
            Ok(Answer::LeadTimeStats(sb.lead_time_stats("ACME", None)?))
        }),
        (
            q(
                "forecast_accuracy",
                json!({"location": "WH1", "bucket": "day", "from": T0, "to": T0 + DAY}),
            ),
            |sb| {
                let options = AccuracyOptions::new("WH1", T0, T0 + DAY).bucket(Bucket::Day);
                Ok(Answer::ForecastAccuracy(sb.forecast_accuracy(&options)?))
            },
        ),
        (
            q(
                "what_if",
                json!({"sku": "A", "site": "WH1", "bucket": "day", "from": T0 - DAY,
                       "to": T0 + DAY, "lead_time_periods": 0, "backorders": true,
                       "policy": {"min_max": {"reorder_point": "10", "order_up_to": "120"}}}),
            ),
            |sb| {
                let policy = WhatIfPolicy::MinMax {
                    reorder_point: Qty::from_int(10),
                    order_up_to: Qty::from_int(120),
                };
                let options = WhatIfOptions::new("A", "WH1", T0 - DAY, T0 + DAY, policy)
                    .bucket(Bucket::Day)
                    .lead_time_periods(0)
                    .backorders(true);
                Ok(Answer::WhatIf(sb.what_if(&options)?))
            },
        ),
        (q("verify", json!({})), |sb| {
            Ok(Answer::Verify(sb.verify()?))
        }),
        (q("last_seq", json!({})), |sb| {
            Ok(Answer::LastSeq(sb.last_seq()?))
        }),
        (q("now", json!({})), |sb| Ok(Answer::Now(sb.now()?))),
    ]
}

#[test]
fn every_query_round_trips_through_json() {
    let values: Vec<Value> = queries().into_iter().map(|(v, _)| v).collect();
    assert_eq!(ops_of(&values), schema_ops("Query"), "a query is missing");
    assert_eq!(
        schema_ops("Answer"),
        schema_ops("Query"),
        "an answer per query"
    );
    for value in values {
        let query = Query::from_value(value.clone()).unwrap();
        let text = serde_json::to_string(&query).unwrap();
        assert_eq!(Query::from_json(&text).unwrap(), query, "{text}");
        assert_eq!(serde_json::to_value(&query).unwrap()["op"], value["op"]);
    }
}

#[test]
fn query_answers_equal_the_read_methods() {
    let sb = book();
    for (value, read) in queries() {
        let query = Query::from_value(value.clone()).unwrap();
        let answer = sb.query(&query).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(answer, read(&sb).unwrap(), "{value}");
        // The answer names the query's op and survives JSON.
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["op"], value["op"]);
        let back: Answer = serde_json::from_value(json).unwrap();
        assert_eq!(back, answer, "{value}");
    }
    // The book is not empty: the comparisons above compared something.
    let query = Query::from_json(r#"{"op": "on_hand", "args": {"sku": "A", "location": "WH1"}}"#);
    let on_hand = sb.query(&query.unwrap());
    assert_eq!(on_hand.unwrap(), Answer::OnHand(Qty::from_int(109)));
}

#[test]
fn query_defaults_are_the_read_methods_defaults() {
    let events = Query::from_json(r#"{"op": "events", "args": {}}"#).unwrap();
    assert_eq!(
        events,
        Query::Events {
            from_seq: 1,
            limit: 10_000
        }
    );
    let plan = Query::from_json(
        r#"{"op": "plan_allocation", "args": {"sku": "A", "qty": 1, "scope": "WH1"}}"#,
    )
    .unwrap();
    let Query::PlanAllocation { strategy, .. } = plan else {
        panic!("{plan:?}")
    };
    assert_eq!(strategy, Strategy::Fifo);
    let Query::ReplenishmentPlan(options) =
        Query::from_json(r#"{"op": "replenishment_plan", "args": {}}"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(options, PlanOptions::default());
}

/// The field and reason of an `invalid_argument` refusal.
fn refusal(result: Result<impl std::fmt::Debug>) -> (String, String) {
    match result {
        Err(Error::InvalidArgument { field, reason }) => {
            // Plain words: no Rust type or path leaks into what a user of any language reads.
            for leak in [
                "u8", "u32", "u64", "i64", "struct ", "enum ", "::", "Option", "Vec<",
            ] {
                assert!(!reason.contains(leak), "{field}: {reason:?} leaks {leak:?}");
            }
            (field, reason)
        }
        other => panic!("expected invalid_argument, got {other:?}"),
    }
}

#[test]
fn a_bad_field_deep_in_a_command_is_named_by_its_path() {
    let (field, reason) = refusal(Command::from_json(
        r#"{"op": "create_order", "args": {"order_id": "O9", "ship_from": "WH1",
            "lines": [{"sku": "A", "qty": "two"}]}}"#,
    ));
    assert_eq!(field, "args.lines[0].qty");
    assert!(reason.contains("\"two\""), "{reason}");
    // The same with `args` before `op`: the path survives the order of the keys.
    let (field, _) = refusal(Command::from_json(
        r#"{"args": {"order_id": "O9", "ship_from": "WH1", "lines": [{"sku": "A", "qty": "1"},
            {"sku": "B", "qty": "1", "unti": "box"}]}, "op": "create_order"}"#,
    ));
    assert_eq!(field, "args.lines[1].unti");
}

#[test]
fn unknown_settings_keys_are_refused_by_name() {
    // A misspelt `damped` would silently plan undamped auto-selection.
    let plan = |method: Value| {
        Query::from_value(json!({"op": "replenishment_plan", "args": {"method": method}}))
    };
    let (field, reason) = refusal(plan(json!({"fixed": {"holt": {"dampd": true}}})));
    assert_eq!(field, "args.method.fixed.holt.dampd");
    assert!(reason.contains("is not a known field"), "{reason}");
    assert!(reason.contains("damped"), "{reason}");
    let (field, _) = refusal(plan(json!({"fixed": {"ses": {"alpha": 0.3, "beta": 9}}})));
    assert_eq!(field, "args.method.fixed.ses.beta");
    // The same settings given on their own, as a binding's `method=` argument.
    let (field, _) = refusal(decode::<Method>(
        "settings",
        json!({"holt": {"dampd": true}}),
    ));
    assert_eq!(field, "settings.holt.dampd");
    let (field, _) = refusal(decode::<Method>(
        "settings",
        json!({"ses": {"alpha": 0.3, "beta": 9}}),
    ));
    assert_eq!(field, "settings.ses.beta");
    let (field, reason) = refusal(decode::<Method>("settings", json!("holt_winter")));
    assert_eq!(field, "settings");
    assert!(
        reason.contains("holt_winter") && reason.contains("holt_winters"),
        "{reason}"
    );
    // Strategy settings too.
    let (field, _) = refusal(Command::from_value(json!({"op": "allocate_order",
        "args": {"order_id": "O1", "strategy": {"fefo": {"min_remaining_day": 3}}}})));
    assert_eq!(field, "args.strategy.fefo.min_remaining_day");
}

#[test]
fn integers_out_of_range_or_of_the_wrong_kind_are_refused_not_wrapped() {
    let command = |op: &str, args: Value| Command::from_value(json!({"op": op, "args": args}));
    let (field, reason) = refusal(command(
        "create_order",
        json!({"order_id": "O9", "ship_from": "WH1", "priority": -1, "lines": []}),
    ));
    assert_eq!(field, "args.priority");
    assert_eq!(
        reason,
        "expected a whole number from 0 to 4294967295, got -1"
    );
    let (field, reason) = refusal(command("define_item", json!({"sku": "X", "decimals": 2.5})));
    assert_eq!(field, "args.decimals");
    assert_eq!(reason, "expected a whole number from 0 to 255, got 2.5");
    let (field, _) = refusal(command(
        "define_item",
        json!({"sku": "X", "shelf_life_days": -3}),
    ));
    assert_eq!(field, "args.shelf_life_days");
    let (field, _) = refusal(command(
        "pick_order",
        json!({"order_id": "O1", "line": 4_294_967_296_u64, "location": "B", "qty": "1"}),
    ));
    assert_eq!(field, "args.line");
    let (field, _) = refusal(Query::from_value(json!({"op": "on_hand_at",
        "args": {"sku": "A", "location": "WH1", "as_of": {"seq": -1}}})));
    assert_eq!(field, "args.as_of.seq");
    // A quantity is exact: a float may already have lost the caller's digits.
    let (field, reason) = refusal(command(
        "receive",
        json!({"sku": "A", "location": "WH1", "qty": 0.1}),
    ));
    assert_eq!(field, "args.qty");
    assert!(reason.contains("decimal text"), "{reason}");
}

#[test]
fn wrong_types_missing_fields_and_unknown_ops_are_named() {
    let (field, reason) = refusal(Command::from_json(
        r#"{"op": "receive", "args": {"sku": 5, "location": "WH1", "qty": "1"}}"#,
    ));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("args.sku", "expected text, got 5")
    );
    let (field, reason) = refusal(Command::from_json(
        r#"{"op": "receive", "args": {"sku": "A", "qty": "1"}}"#,
    ));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("args.location", "is required")
    );
    let (field, reason) = refusal(Command::from_json(
        r#"{"op": "receive", "args": {"sku": null, "location": "WH1", "qty": "1"}}"#,
    ));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("args.sku", "expected text, got null")
    );
    let (field, reason) = refusal(Command::from_json(
        r#"{"op": "allocate_order", "args": {"order_id": "O1", "strategy": 5}}"#,
    ));
    assert_eq!(field, "args.strategy");
    assert_eq!(
        reason,
        "expected a choice: a name, or an object of one name and its settings, got 5"
    );
    let (field, reason) = refusal(Command::from_json(
        r#"{"op": "allocate_order", "args": {"order_id": "O1", "strategy": {"fefo": {}, "lifo": {}}}}"#,
    ));
    assert_eq!(field, "args.strategy");
    assert!(reason.contains("exactly one name"), "{reason}");
    let (field, reason) = refusal(Command::from_json(r#"{"op": 5, "args": {}}"#));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("op", "expected the name of an operation, got 5")
    );
    let (field, reason) = refusal(Command::from_json(r#"{"op": "recieve", "args": {}}"#));
    assert_eq!(field, "op");
    assert!(
        reason.starts_with("`recieve` is not a known choice"),
        "{reason}"
    );
    let (field, _) = refusal(Command::from_json(
        r#"{"op": "archive_item", "args": {"sku": "A"}, "meta": {}}"#,
    ));
    assert_eq!(field, "meta");
    let (field, _) = refusal(Query::from_json(
        r#"{"op": "items", "args": {"all": true}}"#,
    ));
    assert_eq!(field, "args.all");
    let (field, reason) = refusal(Command::from_json(r#"{"op": "receive", "args": "#));
    assert_eq!(field, "input");
    assert!(reason.starts_with("is not valid JSON"), "{reason}");
    let (field, _) = refusal(Command::from_json("[1, 2]"));
    assert_eq!(field, "input");
    let (field, _) = refusal(decode::<Meta>(
        "meta",
        json!({"actor": "me", "idempotency_key": "k"}),
    ));
    assert_eq!(field, "meta.idempotency_key");
}

#[test]
fn error_codes_are_every_variant_of_the_error() {
    let doc = schema::document();
    let variants: Vec<String> = doc["$defs"]["Error"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| match &v["const"] {
            Value::String(unit) => unit.clone(),
            _ => v["required"][0].as_str().unwrap().to_owned(),
        })
        .map(|name| {
            name.chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                    sep.into_iter()
                        .chain(std::iter::once(c.to_ascii_lowercase()))
                })
                .collect()
        })
        .collect();
    assert_eq!(variants, Error::CODES);
    assert_eq!(doc["$defs"]["ErrorCode"]["enum"], json!(Error::CODES));
    assert_eq!(
        Error::InvalidArgument {
            field: "f".into(),
            reason: "r".into()
        }
        .code(),
        "invalid_argument"
    );
}

/// Checks `value` against the definition `name` of the generated schema: every keyword the
/// schema uses is checked (`pattern` and `format` aside), and one it does not know fails the
/// test, so nothing passes unread. (A validator crate would switch serde_json's float
/// parsing for every test build of the core: its parsing would no longer be the engine's.)
fn check(name: &str, value: &Value) -> std::result::Result<(), String> {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let defs = DOC.get_or_init(schema::document)["$defs"]
        .as_object()
        .unwrap();
    check_at(defs, &defs[name], value, name)
}

fn check_at(
    defs: &serde_json::Map<String, Value>,
    schema: &Value,
    value: &Value,
    at: &str,
) -> std::result::Result<(), String> {
    let rules = schema.as_object().unwrap();
    let fail = |why: String| Err(format!("{at}: {why}"));
    for (keyword, rule) in rules {
        match keyword.as_str() {
            "$ref" => {
                let name = rule.as_str().unwrap().strip_prefix("#/$defs/").unwrap();
                check_at(defs, &defs[name], value, at)?;
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                    t => vec![t.as_str().unwrap()],
                };
                let is = |t: &str| match t {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "number" => value.is_number(),
                    other => panic!("unknown type {other}"),
                };
                if !types.into_iter().any(is) {
                    return fail(format!("{value} is not of type {rule}"));
                }
            }
            "const" if value != rule => return fail(format!("{value} is not {rule}")),
            "enum" if !rule.as_array().unwrap().contains(value) => {
                return fail(format!("{value} is not one of {rule}"));
            }
            "properties" | "required" | "additionalProperties" => {
                let Some(object) = value.as_object() else {
                    continue;
                };
                let properties = rules.get("properties").and_then(Value::as_object);
                match keyword.as_str() {
                    "properties" => {
                        for (key, sub) in rule.as_object().unwrap() {
                            if let Some(v) = object.get(key) {
                                check_at(defs, sub, v, &format!("{at}.{key}"))?;
                            }
                        }
                    }
                    "required" => {
                        for key in rule.as_array().unwrap() {
                            if !object.contains_key(key.as_str().unwrap()) {
                                return fail(format!("{key} is missing"));
                            }
                        }
                    }
                    _ => {
                        for (key, v) in object {
                            if properties.is_some_and(|p| p.contains_key(key)) {
                                continue;
                            }
                            if rule == &Value::Bool(false) {
                                return fail(format!("{key} is not allowed"));
                            }
                            check_at(defs, rule, v, &format!("{at}.{key}"))?;
                        }
                    }
                }
            }
            "items" => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    check_at(defs, rule, item, &format!("{at}[{i}]"))?;
                }
            }
            "oneOf" | "anyOf" => {
                let matched = rule
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|sub| check_at(defs, sub, value, at).is_ok())
                    .count();
                if matched == 0 || (keyword == "oneOf" && matched > 1) {
                    return fail(format!("{value} matches {matched} of its {keyword}"));
                }
            }
            "minimum" | "maximum" => {
                let (Some(v), Some(bound)) = (value.as_f64(), rule.as_f64()) else {
                    continue;
                };
                if (keyword == "minimum" && v < bound) || (keyword == "maximum" && v > bound) {
                    return fail(format!("{value} is beyond its {keyword} {rule}"));
                }
            }
            "const" | "enum" | "description" | "default" | "format" | "pattern" | "x-receipt" => {}
            other => panic!("{at}: the test's validator does not know `{other}`"),
        }
    }
    Ok(())
}

#[test]
fn the_schema_takes_every_sample_and_refuses_unknown_fields() {
    for value in script() {
        check("Command", &value).unwrap();
    }
    let refused = |name: &str, value: Value| {
        let err = check(name, &value).expect_err(&value.to_string());
        assert!(err.contains("matches 0 of its oneOf"), "{err}");
    };
    refused(
        "Command",
        json!({"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": "1", "bogus": 1}}),
    );
    refused(
        "Command",
        json!({"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": 0.5}}),
    );
    refused(
        "Command",
        json!({"op": "define_item", "args": {"sku": "A", "decimals": 256}}),
    );
    refused("Command", json!({"op": "receive"}));
    for (value, _) in queries() {
        check("Query", &value).unwrap();
    }
    refused("Query", json!({"op": "events", "args": {"limit": -1}}));
    check("Method", &json!({"holt": {"damped": true}})).unwrap();
    check("Method", &json!("croston_sba")).unwrap();
    refused("Method", json!({"holt": {"dampd": true}}));
    refused("Method", json!({"ses": {"alpha": 0.3, "beta": 9}}));
    check(
        "Meta",
        &serde_json::to_value(Meta::new().key("k1")).unwrap(),
    )
    .unwrap();
    let err = check("Meta", &json!({"idempotency_key": "k1"})).unwrap_err();
    assert_eq!(err, "Meta: idempotency_key is not allowed");
}

/// Every command answers through the generic entry with the typed receipt its schema
/// variant names (`x-receipt`), and nothing beyond it.
#[test]
fn each_command_answers_the_typed_receipt_the_schema_names() {
    let clock: Arc<ManualClock> = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock)).unwrap();
    let doc = schema::document();
    let receipt_of = |op: &str| -> String {
        doc["$defs"]["Command"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["properties"]["op"]["const"] == op)
            .unwrap_or_else(|| panic!("{op} is in the schema"))["x-receipt"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut seen = BTreeSet::new();
    for value in script() {
        let op = value["op"].as_str().unwrap().to_owned();
        let answer = sb
            .call(value.clone())
            .unwrap_or_else(|e| panic!("{value}: {e}"));
        let name = receipt_of(&op);
        check(&name, &answer).unwrap_or_else(|e| panic!("{op}: {e}"));
        let fields: BTreeSet<&str> = answer
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let declared: BTreeSet<&str> = doc["$defs"][&name]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, declared, "{op} answers exactly its {name}");
        seen.insert(name);
    }
    let all: BTreeSet<String> = ["Written", "Reserved", "Dispatched", "Counted"]
        .map(str::to_owned)
        .into();
    assert_eq!(seen, all, "the script reaches every receipt");
    // A batch answers each command's typed receipt in order.
    let batch = sb
        .call(json!({"op": "batch", "args": {"commands": [
            {"op": "define_item", "args": {"sku": "NEW"}},
            {"op": "receive", "args": {"sku": "NEW", "location": "WH1/A", "qty": "2"}},
            {"op": "reserve", "args": {"sku": "NEW", "scope": "WH1", "qty": "1"}},
        ]}}))
        .unwrap();
    check("Written", &batch[1]).unwrap();
    check("Reserved", &batch[2]).unwrap();
    assert!(batch[1].get("reservation_id").is_none());
    assert!(batch[2]["reservation_id"].is_string());
}

#[test]
fn the_schema_describes_every_answer_receipt_and_error() {
    let sb = book();
    for (value, _) in queries() {
        let answer = sb
            .query(&Query::from_value(value.clone()).unwrap())
            .unwrap();
        let json = serde_json::to_value(&answer).unwrap();
        check("Answer", &json).unwrap_or_else(|e| panic!("{value}: {e}"));
    }
    let receipt = sb
        .execute(
            Command::from_json(
                r#"{"op": "count", "args": {"sku": "L", "location": "WH1/A", "lot": "L1", "counted": "9"}}"#,
            )
            .unwrap(),
            Meta::default(),
        )
        .unwrap();
    check("Receipt", &serde_json::to_value(&receipt).unwrap()).unwrap();
    let refused = sb
        .execute(
            Command::from_json(
                r#"{"op": "ship", "args": {"sku": "A", "location": "WH1/A", "qty": "100000"}}"#,
            )
            .unwrap(),
            Meta::default(),
        )
        .unwrap_err();
    assert_eq!(refused.code(), "insufficient_stock");
    for error in [refused, Error::Closed] {
        let json = serde_json::to_value(&error).unwrap();
        check("Error", &json).unwrap();
    }
}

/// A binding leaves its host's thread exactly for the calls that may wait: commands and
/// batches (they wait for a durable commit) and the queries that read the store; the reads
/// of in-memory state answer on the caller's thread.
#[test]
fn calls_that_may_wait_are_told_apart_from_in_memory_reads() {
    let blocks = |call: Value| stockbook::Call::from_value(call).unwrap().blocks();
    let q = |op: &str, args: Value| json!({"op": op, "args": args});
    let at = json!({"sku": "A", "location": "WH1", "as_of": {"seq": 1}});
    for waits in [
        q(
            "receive",
            json!({"sku": "A", "location": "WH1", "qty": "1"}),
        ),
        q("batch", json!({"commands": []})),
        q(
            "transfer",
            json!({"sku": "A", "from": "WH1", "to": "WH2", "qty": "1"}),
        ),
        q("on_hand_at", at.clone()),
        q("available_at", at.clone()),
        q("reserved_at", at),
        q("events", json!({})),
        q("history", json!({"sku": "A"})),
        q("verify", json!({})),
        q("replenishment_plan", json!({})),
    ] {
        assert!(blocks(waits.clone()), "{waits} may wait");
    }
    for answers_now in [
        q("available", json!({"sku": "A", "location": "WH1"})),
        q("on_hand", json!({"sku": "A", "location": "WH1"})),
        q("stock_level", json!({"sku": "A", "location": "WH1"})),
        q("item", json!({"sku": "A"})),
        json!({"op": "transfer", "kind": "query", "args": {"id": "T1"}}),
        json!({"op": "last_seq"}),
    ] {
        assert!(!blocks(answers_now.clone()), "{answers_now} reads memory");
    }
}

/// `Query::from_texts` reads every in-memory query of text fields as its JSON form does,
/// and refuses (with `None`) what the JSON form refuses.
#[test]
fn text_queries_read_as_their_json_does() {
    let cases: [(&str, &[(&str, &str)]); 5] = [
        ("available", &[("sku", "A"), ("location", "WH1")]),
        ("on_hand", &[("sku", "A"), ("location", "WH1")]),
        ("item", &[("sku", "A")]),
        ("children", &[("code", "WH1")]),
        ("stock_level", &[("location", "WH1"), ("sku", "A")]),
    ];
    for (op, fields) in cases {
        let args: serde_json::Map<String, Value> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect();
        let json = Query::from_value(json!({"op": op, "args": args})).unwrap();
        assert_eq!(Query::from_texts(op, fields), Some(json), "{op}");
    }
    assert_eq!(Query::from_texts("available", &[("sku", "A")]), None);
    assert_eq!(
        Query::from_texts(
            "available",
            &[("sku", "A"), ("location", "W"), ("lot", "L")]
        ),
        None
    );
    assert_eq!(Query::from_texts("item", &[("code", "A")]), None);
    assert_eq!(Query::from_texts("receive", &[("sku", "A")]), None);
}
