//! Every limit of `stockbook::limits` is refused with `limit_exceeded`, naming what is too
//! long or too many and the limit, and nothing is written; a request at the limit passes.
//! Codes (an attribute's name, an idempotency key) longer than `CODE_LEN_MAX` are
//! malformed codes: `invalid_code`, as the shared scenarios pin it.

use serde_json::json;
use stockbook::limits::{
    ATTRIBUTE_KEY_LEN_MAX, ATTRIBUTE_VALUE_LEN_MAX, ATTRIBUTES_MAX, BATCH_COMMANDS_MAX,
    CODE_LEN_MAX, KEY_LEN_MAX, ORDER_LINES_MAX, PURCHASE_ORDER_LINES_MAX, SERIALS_PER_COMMAND_MAX,
    TEXT_LEN_MAX,
};
use stockbook::{Command, Error, Item, Location, Meta, Receive, Stockbook, Tracking};

fn book() -> Stockbook {
    let sb = Stockbook::in_memory().unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    let mut serial = Item::new("SER");
    serial.tracking = Tracking::Serial;
    sb.define_item(serial).unwrap();
    sb
}

fn limit(what: &str, max: usize) -> Error {
    Error::LimitExceeded {
        what: what.into(),
        max: max as u64,
    }
}

/// Refused with `limit_exceeded` (`what`, `max`), writing nothing.
fn refused(sb: &Stockbook, command: Command, meta: Meta, what: &str, max: usize) {
    let before = sb.last_seq().unwrap();
    let err = sb.execute(command.clone(), meta.clone()).unwrap_err();
    assert_eq!(err, limit(what, max));
    assert_eq!(err.code(), "limit_exceeded");
    // Inside an atomic batch: the batch is refused, naming the command.
    let batch = vec![Receive::new("A", "WH1", 1).into(), command];
    let err = sb.execute_batch(batch, meta).unwrap_err();
    assert_eq!(
        err,
        Error::BatchRefused {
            index: 1,
            source: Box::new(limit(what, max)),
        }
    );
    assert_eq!(sb.last_seq().unwrap(), before, "nothing written");
}

#[test]
fn a_batch_longer_than_the_limit_is_refused() {
    let sb = book();
    let commands: Vec<Command> = (0..=BATCH_COMMANDS_MAX)
        .map(|_| Receive::new("A", "WH1", 1).into())
        .collect();
    let err = sb.execute_batch(commands.clone(), Meta::new()).unwrap_err();
    assert_eq!(err, limit("batch", BATCH_COMMANDS_MAX));
    assert_eq!(sb.last_seq().unwrap(), 3);
    sb.execute_batch(commands[1..].to_vec(), Meta::new())
        .unwrap();
}

fn item_with_attributes(n: usize, key_len: usize, value_len: usize) -> Item {
    let mut item = Item::new("ATTR");
    for i in 0..n {
        let key = format!("{i:0key_len$}");
        item.attributes.insert(key, "v".repeat(value_len));
    }
    item
}

#[test]
fn too_many_attributes_are_refused() {
    let sb = book();
    let over = item_with_attributes(ATTRIBUTES_MAX + 1, 4, 1);
    refused(
        &sb,
        Command::DefineItem(over),
        Meta::new(),
        "attributes",
        ATTRIBUTES_MAX,
    );
    sb.define_item(item_with_attributes(ATTRIBUTES_MAX, 4, 1))
        .unwrap();
}

#[test]
fn an_attribute_key_or_value_too_long_is_refused() {
    let sb = book();
    assert_eq!(ATTRIBUTE_KEY_LEN_MAX, CODE_LEN_MAX);
    let long_key = item_with_attributes(1, ATTRIBUTE_KEY_LEN_MAX + 1, 1);
    let err = sb.define_item(long_key).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidCode { kind, .. } if kind == "attribute"),
        "{err:?}"
    );
    let long_value = item_with_attributes(1, 4, ATTRIBUTE_VALUE_LEN_MAX + 1);
    refused(
        &sb,
        Command::DefineItem(long_value),
        Meta::new(),
        "attribute_value",
        ATTRIBUTE_VALUE_LEN_MAX,
    );
    sb.define_item(item_with_attributes(
        1,
        ATTRIBUTE_KEY_LEN_MAX,
        ATTRIBUTE_VALUE_LEN_MAX,
    ))
    .unwrap();
}

#[test]
fn too_many_serials_in_one_command_are_refused() {
    let sb = book();
    let mut receive = Receive::new("SER", "WH1", SERIALS_PER_COMMAND_MAX as i64 + 1);
    receive.serials = (0..=SERIALS_PER_COMMAND_MAX)
        .map(|i| format!("S{i}"))
        .collect();
    refused(
        &sb,
        receive.clone().into(),
        Meta::new(),
        "serials",
        SERIALS_PER_COMMAND_MAX,
    );
    receive.serials.pop();
    receive.qty = stockbook::Qty::from_int(SERIALS_PER_COMMAND_MAX as i64);
    sb.receive(receive).unwrap();
}

fn lines(n: usize) -> Vec<serde_json::Value> {
    (0..n).map(|_| json!({"sku": "A", "qty": "1"})).collect()
}

#[test]
fn an_order_with_too_many_lines_is_refused() {
    let sb = book();
    let order = |n| -> Command {
        serde_json::from_value(json!({"op": "create_order", "args": {
            "order_id": "SO-1", "ship_from": "WH1", "lines": lines(n)}}))
        .unwrap()
    };
    refused(
        &sb,
        order(ORDER_LINES_MAX + 1),
        Meta::new(),
        "lines",
        ORDER_LINES_MAX,
    );
    sb.execute(order(ORDER_LINES_MAX), Meta::new()).unwrap();
}

#[test]
fn a_purchase_order_with_too_many_lines_is_refused() {
    let sb = book();
    let po = |n| -> Command {
        serde_json::from_value(json!({"op": "create_purchase_order", "args": {
            "po_id": "PO-1", "supplier": "SUP", "location": "WH1", "expected_at": i64::MAX / 2,
            "lines": lines(n)}}))
        .unwrap()
    };
    refused(
        &sb,
        po(PURCHASE_ORDER_LINES_MAX + 1),
        Meta::new(),
        "lines",
        PURCHASE_ORDER_LINES_MAX,
    );
    sb.execute(po(PURCHASE_ORDER_LINES_MAX), Meta::new())
        .unwrap();
}

#[test]
fn an_idempotency_key_too_long_is_refused_as_a_malformed_code() {
    let sb = book();
    assert_eq!(KEY_LEN_MAX, CODE_LEN_MAX);
    let command: Command = Receive::new("A", "WH1", 1).into();
    let meta = Meta::new().key("k".repeat(KEY_LEN_MAX + 1));
    let err = sb.execute(command.clone(), meta).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidCode { kind, .. } if kind == "key"),
        "{err:?}"
    );
    assert_eq!(sb.last_seq().unwrap(), 3);
    sb.execute(command, Meta::new().key("k".repeat(KEY_LEN_MAX)))
        .unwrap();
}

#[test]
fn free_text_too_long_is_refused() {
    let sb = book();
    let mut item = Item::new("LONG");
    item.name = "n".repeat(TEXT_LEN_MAX + 1);
    refused(
        &sb,
        Command::DefineItem(item.clone()),
        Meta::new(),
        "name",
        TEXT_LEN_MAX,
    );
    let meta = Meta::new().reason("r".repeat(TEXT_LEN_MAX + 1));
    let err = sb.execute(Receive::new("A", "WH1", 1), meta).unwrap_err();
    assert_eq!(err, limit("reason", TEXT_LEN_MAX));
    item.name = "n".repeat(TEXT_LEN_MAX);
    sb.define_item(item).unwrap();
}
