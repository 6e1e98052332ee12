//! Open a file, move stock, close, reopen: everything is there.

use stockbook::*;

#[test]
fn receive_ship_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sb.redb");
    {
        let sb = Stockbook::open(&path).unwrap();
        sb.define_item(Item::new("A")).unwrap();
        sb.define_location(Location::new("WH1")).unwrap();
        let mut bin = Location::new("WH1/B1");
        bin.parent = Some("WH1".into());
        sb.define_location(bin).unwrap();
        sb.receive(Receive::new("A", "WH1/B1", 10)).unwrap();
        sb.ship(Issue::new("A", "WH1/B1", 3)).unwrap();
        assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(7));
        let report = sb.verify().unwrap();
        assert!(report.is_sound(), "{report:?}");
        sb.close().unwrap();
    }
    let sb = Stockbook::open(&path).unwrap();
    assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(7));
    assert_eq!(
        sb.on_hand_at("A", "WH1", AsOf::Seq(4)).unwrap(),
        Qty::from_int(10)
    );
    assert!(sb.verify().unwrap().is_sound());
}
