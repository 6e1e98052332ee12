//! Customer returns (`return_stock`) through the typed API: durable across a reopen, one
//! outcome per idempotency key (also after the reopen, through the command's stored
//! canonical form), and a refused return changes nothing.

use stockbook::{Issue, Item, Location, LocationKind, Meta, Qty, Receive, ReturnStock, Stockbook};

#[test]
fn a_return_is_durable_and_idempotent_and_a_refused_one_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("returns.stockbook");
    let sb = Stockbook::open(&path).unwrap();
    sb.define_item(Item::new("TAPE")).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb.define_location(Location::new("SHOP").kind(LocationKind::Customer))
        .unwrap();
    sb.receive(Receive::new("TAPE", "WH1", 10)).unwrap();
    sb.ship(Issue::new("TAPE", "WH1", 4).to("SHOP")).unwrap();

    let keyed = sb.with_meta(Meta::new().key("rma-1").actor("desk"));
    let back = ReturnStock::new("TAPE", "WH1", 3)
        .from("SHOP")
        .reason_code("damaged");
    let first = keyed.return_stock(back.clone()).unwrap();
    assert_eq!(keyed.return_stock(back.clone()).unwrap(), first);
    assert_eq!(sb.on_hand("TAPE", "WH1").unwrap(), Qty::from_int(9));

    let before = sb.last_seq().unwrap();
    let refused = sb
        .return_stock(ReturnStock::new("TAPE", "WH1", 1).from("@supplier"))
        .unwrap_err();
    assert_eq!(refused.code(), "invalid_argument");
    let unknown = sb
        .return_stock(ReturnStock::new("NOPE", "WH1", 1))
        .unwrap_err();
    assert_eq!(unknown.code(), "not_found");
    assert_eq!(sb.last_seq().unwrap(), before);
    sb.close().unwrap();

    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.on_hand("TAPE", "WH1").unwrap(), Qty::from_int(9));
    assert_eq!(sb.on_hand("TAPE", "SHOP").unwrap(), Qty::from_int(1));
    let again = sb
        .with_meta(Meta::new().key("rma-1").actor("desk"))
        .return_stock(back)
        .unwrap();
    assert_eq!(
        again, first,
        "the key remembers its first outcome across a reopen"
    );
    // The same key with another command is a conflict, not a second return.
    let other = sb
        .with_meta(Meta::new().key("rma-1").actor("desk"))
        .return_stock(ReturnStock::new("TAPE", "WH1", 2).from("SHOP"))
        .unwrap_err();
    assert_eq!(other.code(), "conflict");
    assert_eq!(sb.on_hand("TAPE", "WH1").unwrap(), Qty::from_int(9));
    assert!(sb.verify().unwrap().is_sound());
}
