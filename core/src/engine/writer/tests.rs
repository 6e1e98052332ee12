//! The writer driven by hand, one group at a time, so that a group holds exactly the
//! requests a test puts in it.

use crossbeam_channel::Receiver;

use super::*;
use crate::engine::{Options, Stockbook};
use crate::ledger::{Issue, Receive, Reserve};
use crate::model::reservation::{Reservation, ReservationState};
use crate::model::{Item, Location, Qty};
use crate::store::Store;

type Answer = Receiver<Result<Vec<Receipt>>>;

fn prepared(store: Store) -> (Arc<Core>, Writer, Sender<Request>) {
    Stockbook::prepare(store, Options::default()).unwrap()
}

fn in_memory() -> Store {
    Store::in_memory().unwrap()
}

fn request(commands: Vec<Command>, batch: bool) -> (Request, Answer) {
    let (reply, answer) = crossbeam_channel::bounded(1);
    let meta = Meta::new();
    (
        Request::Commands {
            commands,
            meta,
            batch,
            reply,
        },
        answer,
    )
}

/// Runs one group of `requests` (each a list of commands, a batch when `true`).
fn group(writer: &mut Writer, requests: Vec<(Vec<Command>, bool)>) -> Vec<Result<Vec<Receipt>>> {
    let (group, answers): (Vec<Request>, Vec<Answer>) = requests
        .into_iter()
        .map(|(commands, batch)| request(commands, batch))
        .unzip();
    let mut snapshot_seq = writer.work.last_seq;
    writer.process(group, &mut snapshot_seq);
    answers.into_iter().map(|a| a.recv().unwrap()).collect()
}

fn one(command: impl Into<Command>) -> (Vec<Command>, bool) {
    (vec![command.into()], false)
}

fn receive(sku: &str, qty: i64) -> (Vec<Command>, bool) {
    one(Receive::new(sku, "WH1", qty))
}

fn set_up(writer: &mut Writer) {
    let answers = group(
        writer,
        vec![
            one(Command::DefineItem(Item::new("A"))),
            one(Command::DefineItem(Item::new("B"))),
            one(Command::DefineLocation(Location::new("WH1"))),
            receive("A", 10),
            receive("B", 10),
        ],
    );
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
}

fn on_hand(core: &Core, sku: &str) -> i64 {
    core.state.read().stock.balance(sku, "WH1", "")
}

fn code(outcome: &Result<Vec<Receipt>>) -> &'static str {
    outcome.as_ref().map_or_else(Error::code, |_| "ok")
}

#[test]
fn a_panic_refuses_its_request_alone_and_the_rest_of_the_group_commits() {
    let (core, mut writer, queue) = prepared(in_memory());
    set_up(&mut writer);
    let before = writer.work.last_seq;
    let sb = Stockbook {
        inner: Arc::new(super::super::Inner {
            core: parking_lot::RwLock::new(Some(Arc::clone(&core))),
            queue: parking_lot::Mutex::new(None),
            writer: parking_lot::Mutex::new(None),
            path: None,
        }),
    };
    sb.inject_panic_for_sku(Some("B")).unwrap();
    let answers = group(
        &mut writer,
        vec![
            receive("A", 1),
            receive("B", 5),
            receive("A", 2),
            one(Command::Issue(Issue::new("A", "WH1", 3))),
        ],
    );
    let codes: Vec<&str> = answers.iter().map(code).collect();
    assert_eq!(codes, ["ok", "internal", "ok", "ok"]);
    assert!(
        answers[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("injected panic deciding B")
    );
    // The neighbours' events follow each other: the refused request left no gap.
    let seqs: Vec<(u64, u64)> = [&answers[0], &answers[2], &answers[3]]
        .iter()
        .map(|a| {
            let r = &a.as_ref().unwrap()[0];
            (r.first_seq, r.last_seq)
        })
        .collect();
    assert_eq!(
        seqs,
        [
            (before + 1, before + 1),
            (before + 2, before + 2),
            (before + 3, before + 3)
        ]
    );
    assert_eq!(on_hand(&core, "A"), 10);
    assert_eq!(
        on_hand(&core, "B"),
        10,
        "the panicked request changed nothing"
    );
    assert_eq!(
        writer.work,
        *core.state.read(),
        "the writer's state is the readers'"
    );
    drop(sb);
    // The engine goes on: started, it verifies sound and takes the item again.
    let sb = Stockbook::launch(core, writer, queue, None).unwrap();
    assert!(sb.verify().unwrap().is_sound());
    sb.receive(Receive::new("B", "WH1", 5)).unwrap();
    assert_eq!(sb.on_hand("B", "WH1").unwrap(), Qty::from_int(15));
    assert_eq!(sb.last_seq().unwrap(), before + 4);
    sb.close().unwrap();
}

#[test]
fn a_panic_inside_an_atomic_batch_refuses_the_batch_and_keeps_its_neighbours() {
    let (core, mut writer, queue) = prepared(in_memory());
    set_up(&mut writer);
    core.faults.panic_sku.lock().replace("B".into());
    core.faults.panic_armed.store(true, Ordering::SeqCst);
    let batch = vec![
        Receive::new("A", "WH1", 1).into(),
        Receive::new("B", "WH1", 1).into(),
        Receive::new("A", "WH1", 1).into(),
    ];
    let answers = group(
        &mut writer,
        vec![receive("A", 1), (batch, true), receive("A", 4)],
    );
    let codes: Vec<&str> = answers.iter().map(code).collect();
    assert_eq!(codes, ["ok", "internal", "ok"]);
    assert_eq!(on_hand(&core, "A"), 15);
    assert_eq!(on_hand(&core, "B"), 10);
    assert_eq!(writer.work, *core.state.read());
    let sb = Stockbook::launch(core, writer, queue, None).unwrap();
    assert!(sb.verify().unwrap().is_sound());
    sb.execute_batch(
        vec![
            Receive::new("A", "WH1", 1).into(),
            Receive::new("B", "WH1", 1).into(),
        ],
        Meta::new(),
    )
    .unwrap();
    assert_eq!(sb.on_hand("B", "WH1").unwrap(), Qty::from_int(11));
    sb.close().unwrap();
}

/// For each invariant: a corrupted check stops the writer before the commit; the
/// callers and every later write get `invariant_violated`, reads go on, and nothing
/// of the group reaches the file.
#[test]
fn a_failed_commit_check_stops_the_writer_and_writes_nothing() {
    for invariant in Invariant::ALL {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.stockbook");
        let (core, mut writer, queue) =
            prepared(Store::open(&path, Options::default().cache_size_bytes).unwrap());
        set_up(&mut writer);
        let before = writer.work.last_seq;
        core.faults.invariant.store(
            Invariant::ALL.iter().position(|i| *i == invariant).unwrap() as u8 + 1,
            Ordering::SeqCst,
        );
        // The reservation takes all that is there: the corrupted check sees one unit less.
        let answers = group(&mut writer, vec![one(Reserve::new("A", "WH1", 10))]);
        let err = answers[0]
            .as_ref()
            .expect_err(&format!("{invariant:?} did not stop the writer"));
        assert_eq!(
            err,
            &Error::InvariantViolated {
                invariant: invariant.name().into(),
                detail: match err {
                    Error::InvariantViolated { detail, .. } => detail.clone(),
                    _ => unreachable!(),
                },
            },
            "{invariant:?}"
        );
        // Sticky: the next write is refused alike, though the hook fired once.
        let answers = group(&mut writer, vec![receive("B", 1)]);
        assert_eq!(code(&answers[0]), "invariant_violated", "{invariant:?}");
        let sb = Stockbook::launch(core, writer, queue, Some(path.clone())).unwrap();
        assert_eq!(sb.last_seq().unwrap(), before);
        assert_eq!(sb.on_hand("A", "WH1").unwrap(), Qty::from_int(10));
        assert!(sb.verify().unwrap().is_sound());
        let err = sb.receive(Receive::new("A", "WH1", 1)).unwrap_err();
        assert_eq!(err.code(), "invariant_violated");
        assert_eq!(sb.sync().unwrap_err().code(), "invariant_violated");
        assert_eq!(sb.close().unwrap_err().code(), "invariant_violated");
        // Nothing of the refused groups is in the file.
        let sb = Stockbook::open(&path).unwrap();
        assert_eq!(sb.last_seq().unwrap(), before, "{invariant:?}");
        assert!(
            sb.reservations(&crate::orders::ReservationFilter::default())
                .unwrap()
                .is_empty()
        );
        sb.close().unwrap();
    }
}

fn envelope(seq: u64, event: Event) -> Envelope {
    Envelope {
        seq,
        recorded_at: 0,
        effective_at: 0,
        actor: None,
        key: None,
        correlation: None,
        reason: None,
        event,
    }
}

/// The checks themselves, on states that break them for real (events applied without
/// being decided).
#[test]
fn the_commit_checks_catch_real_breaches() {
    let (_core, mut writer, _queue) = prepared(in_memory());
    set_up(&mut writer);
    let last = writer.work.last_seq;
    // A reservation of stock that is not there.
    let reservation = Reservation {
        id: "RS-X".into(),
        sku: "A".into(),
        scope: "WH1".into(),
        lot: None,
        hard: false,
        qty: Qty::from_int(11),
        requested: Qty::from_int(11),
        committed: Qty::ZERO,
        order: None,
        line: None,
        created_at: 0,
        expires_at: None,
        state: ReservationState::Pending,
    };
    let env = envelope(last + 1, Event::ReservationCreated(reservation.clone()));
    writer.work.apply(&env);
    let mut buffer = GroupBuffer::default();
    buffer.events.push(env);
    let err = writer.check_group(&buffer).unwrap_err();
    assert!(
        matches!(&err, Error::InvariantViolated { invariant, .. } if invariant == "reserved_within_on_hand"),
        "{err:?}"
    );
    // A reservation pinned to a lot that holds nothing, within the item's on hand.
    let (_core, mut writer, _queue) = prepared(in_memory());
    set_up(&mut writer);
    let pinned = Reservation {
        id: "RS-L".into(),
        lot: Some("L1".into()),
        qty: Qty::from_int(1),
        requested: Qty::from_int(1),
        ..reservation.clone()
    };
    let env = envelope(writer.work.last_seq + 1, Event::ReservationCreated(pinned));
    writer.work.apply(&env);
    let mut buffer = GroupBuffer::default();
    buffer.events.push(env);
    let err = writer.check_group(&buffer).unwrap_err();
    assert!(
        matches!(&err, Error::InvariantViolated { detail, .. } if detail.contains("lot L1")),
        "{err:?}"
    );
    // A gap in the sequence numbers.
    let (_core, mut writer, _queue) = prepared(in_memory());
    set_up(&mut writer);
    let env = envelope(
        writer.work.last_seq + 2,
        Event::ItemArchived { sku: "B".into() },
    );
    writer.work.apply(&env);
    let mut buffer = GroupBuffer::default();
    buffer.events.push(env);
    let err = writer.check_group(&buffer).unwrap_err();
    assert!(
        matches!(&err, Error::InvariantViolated { invariant, .. } if invariant == "seq_contiguous"),
        "{err:?}"
    );
    // A group that is sound passes.
    let (_core, mut writer, _queue) = prepared(in_memory());
    set_up(&mut writer);
    assert!(writer.check_group(&GroupBuffer::default()).is_ok());
}
