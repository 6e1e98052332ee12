//! Crash safety of order workflows. This test binary re-executes itself as a child process
//! that runs a fixed workflow of reservations and orders (receive, reserve, create, confirm,
//! allocate, pick with lots and serials, pack, ship, deliver or cancel), every step under
//! its own idempotency key, printing each acknowledged step. The parent kills it with
//! SIGKILL at random moments, reopens the file and checks that every acknowledged step is
//! there (its events carry its key; re-running it with the same key returns the same
//! receipt and writes nothing), that `verify()` is sound, that reserved ≤ on hand
//! everywhere and that every order adds up. The next child runs the same workflow from its
//! first step: the steps done before return their remembered outcome, the one cut by the
//! kill either returns its outcome (it had committed) or proceeds. A last child runs to
//! the end, and the final stock is what the workflow leaves.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use stockbook::orders::{
    AllocateOrder, CancelOrder, CreateOrder, NewOrderLine, OrderState, OrderStep, PackOrder,
    Package, PackageContent, PickOrder, Reserve, Strategy,
};
use stockbook::{
    Command, Error, Item, Location, LocationKind, Meta, Qty, Receipt, Receive, Stockbook, Tracking,
};

const CHILD_ENV: &str = "STOCKBOOK_ORDERS_CRASH_PATH";
const ORDERS: usize = 12;
const KILLS: u32 = 24;
const SKUS: &[&str] = &["A", "MILK", "PHONE"];

type Outcome = Result<Vec<Receipt>, Error>;

/// One step of the workflow: its key, its commands (more than one: an atomic batch).
struct Step {
    key: String,
    commands: Vec<Command>,
}

fn step(key: impl Into<String>, command: impl Into<Command>) -> Step {
    Step {
        key: key.into(),
        commands: vec![command.into()],
    }
}

fn bin(i: usize) -> String {
    format!("WH/B{i}")
}

/// Units of A order `i` wants; one more is received, for a soft hold.
fn a_units(i: usize) -> i64 {
    2 + (i as i64 % 3)
}

/// Order `i` is cancelled after picking (with its stock returned) when this holds.
fn cancelled(i: usize) -> bool {
    i % 4 == 3
}

fn serials(i: usize) -> Vec<String> {
    vec![format!("SN-{i}-0"), format!("SN-{i}-1")]
}

/// The workflow: the same list of steps in every process.
fn workflow() -> Vec<Step> {
    let mut setup = vec![
        Command::DefineItem(Item::new("A")),
        Command::DefineItem({
            let mut i = Item::new("MILK");
            i.tracking = Tracking::Lot;
            i
        }),
        Command::DefineItem({
            let mut i = Item::new("PHONE");
            i.tracking = Tracking::Serial;
            i
        }),
        Command::DefineLocation({
            let mut l = Location::new("WH");
            l.kind = LocationKind::Site;
            l
        }),
    ];
    for code in std::iter::once("WH/OUT".to_owned()).chain((0..ORDERS).map(bin)) {
        let mut l = Location::new(code);
        l.parent = Some("WH".into());
        setup.push(Command::DefineLocation(l));
    }
    let mut steps = vec![Step {
        key: "setup".into(),
        commands: setup,
    }];
    for i in 0..ORDERS {
        let id = format!("O{i}");
        let order = |step: &str| format!("{step}-{id}");
        let b = bin(i);
        steps.push(step(order("recv-a"), Receive::new("A", &b, a_units(i) + 1)));
        let mut milk = Receive::new("MILK", &b, 2);
        milk.lot = Some(format!("LOT-{i}"));
        steps.push(step(order("recv-milk"), milk));
        let mut phone = Receive::new("PHONE", &b, 2);
        phone.serials = serials(i);
        steps.push(step(order("recv-phone"), phone));
        let mut hold = Reserve::new("A", "WH", 1);
        hold.reservation_id = Some(format!("HOLD-{i}"));
        steps.push(step(order("hold"), hold));
        steps.push(step(
            order("create"),
            CreateOrder::new(
                id.clone(),
                "WH",
                vec![
                    NewOrderLine::new("A", Qty::from_int(a_units(i))),
                    NewOrderLine::new("MILK", Qty::from_int(2)),
                    NewOrderLine::new("PHONE", Qty::from_int(2)),
                ],
            )
            .customer(format!("C{i}"))
            .priority(1 + (i as u32 % 3))
            .staging("WH/OUT"),
        ));
        let plain = |id: &str| OrderStep::new(id.to_owned());
        steps.push(step(order("confirm"), Command::ConfirmOrder(plain(&id))));
        steps.push(step(
            order("allocate"),
            AllocateOrder::new(id.clone()).strategy(Strategy::Ordered {
                locations: vec![b.clone()],
            }),
        ));
        steps.push(step(
            order("release-hold"),
            Command::ReleaseReservation {
                reservation_id: format!("HOLD-{i}"),
                qty: None,
            },
        ));
        let pick = |line: u32, qty: i64, lot: Option<String>, serials: Vec<String>| {
            let mut v =
                PickOrder::new(id.clone(), line, b.clone(), Qty::from_int(qty)).serials(serials);
            v.lot = lot;
            v
        };
        steps.push(step(order("pick-a"), pick(1, a_units(i), None, vec![])));
        steps.push(step(
            order("pick-milk"),
            pick(2, 2, Some(format!("LOT-{i}")), vec![]),
        ));
        steps.push(step(order("pick-phone"), pick(3, 2, None, serials(i))));
        if cancelled(i) {
            steps.push(step(order("cancel"), CancelOrder::new(id.clone())));
            continue;
        }
        let content = |line: u32, qty: i64| PackageContent::new(line, Qty::from_int(qty));
        steps.push(step(
            order("pack"),
            PackOrder::new(
                id.clone(),
                vec![
                    Package::new(
                        format!("P{i}-1"),
                        vec![content(1, a_units(i)), content(2, 2)],
                    ),
                    Package::new(format!("P{i}-2"), vec![content(3, 2)]),
                ],
            ),
        ));
        steps.push(step(order("ship"), Command::ShipOrder(plain(&id))));
        if i % 2 == 0 {
            steps.push(step(order("deliver"), Command::DeliverOrder(plain(&id))));
        }
    }
    steps
}

fn execute(sb: &Stockbook, s: &Step) -> Outcome {
    let meta = Meta::new().key(&s.key).actor("crash");
    if s.commands.len() > 1 {
        sb.execute_batch(s.commands.clone(), meta)
    } else {
        sb.execute(s.commands[0].clone(), meta).map(|r| vec![r])
    }
}

/// The child: runs the whole workflow, printing `ACK <index> <outcome>` per step.
fn child(path: &Path) {
    let sb = Stockbook::open(path).unwrap();
    let mut out = std::io::stdout();
    for (i, s) in workflow().iter().enumerate() {
        let outcome = execute(&sb, s);
        if let Err(e) = &outcome {
            panic!("step {i} ({}) refused: {e}", s.key);
        }
        // One write per line: a line in a pipe is whole or absent.
        let line = format!("ACK {i} {}\n", serde_json::to_string(&outcome).unwrap());
        out.write_all(line.as_bytes()).unwrap();
        out.flush().unwrap();
    }
    sb.close().unwrap();
    out.write_all(b"DONE\n").unwrap();
    out.flush().unwrap();
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// When the parent kills a child.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// This long after it started (often while it opens and recovers the file).
    AfterStart(Duration),
    /// After it acknowledged this many steps it had not done before, and then this long.
    AfterNewAcks(usize, Duration),
    /// Never: it runs to the end.
    Never,
}

/// What follows `ACK ` in a line (the test harness may print before it on the first).
fn ack_part(line: &str) -> Option<&str> {
    line.find("ACK ").map(|at| &line[at + 4..])
}

/// Runs one child; returns its acknowledgements and whether it printed DONE.
fn run_child(path: &Path, done_before: usize, kill: Kill) -> (Vec<(usize, Outcome)>, bool) {
    let mut child = Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "orders_crash_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let waited = Instant::now();
    match kill {
        Kill::AfterStart(delay) => thread::sleep(delay),
        Kill::AfterNewAcks(n, delay) => {
            let mut fresh = 0;
            while fresh < n && waited.elapsed() < Duration::from_secs(20) {
                match rx.recv_timeout(Duration::from_millis(20)) {
                    Ok(line) => {
                        let index = ack_part(&line)
                            .and_then(|l| l.split(' ').next())
                            .and_then(|i| i.parse::<usize>().ok());
                        if index.is_some_and(|i| i >= done_before) {
                            fresh += 1;
                        }
                        lines.push(line);
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            thread::sleep(delay);
        }
        Kill::Never => {}
    }
    if !matches!(kill, Kill::Never) {
        let _ = child.kill(); // SIGKILL on Unix; the child may have finished already
    }
    let status = child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    if matches!(kill, Kill::Never) {
        assert!(status.success(), "the last child failed: {status}");
    }
    let done = lines.iter().any(|l| l.contains("DONE"));
    let mut acks = Vec::new();
    for line in &lines {
        let Some(rest) = ack_part(line) else {
            continue;
        };
        let (index, json) = rest.split_once(' ').expect("ACK <index> <outcome>");
        let outcome: Outcome = serde_json::from_str(json).expect("a whole line");
        acks.push((index.parse().unwrap(), outcome));
    }
    (acks, done)
}

/// Reopens the file and checks it against every step acknowledged so far; tells whether
/// the first step not acknowledged had committed all the same (the kill fell between its
/// commit and its answer).
fn check(path: &Path, steps: &[Step], acked: &BTreeMap<usize, Outcome>, context: &str) -> bool {
    let sb = Stockbook::open(path).unwrap_or_else(|e| panic!("{context}: reopen: {e}"));
    let report = sb.verify().unwrap();
    assert!(
        report.is_sound(),
        "{context}: verify: {:?}",
        report.problems
    );
    let keys: BTreeMap<u64, Option<String>> = sb
        .events_iter(1)
        .map(|e| e.map(|e| (e.seq, e.key)).unwrap())
        .collect();
    assert_eq!(
        keys.len() as u64,
        sb.last_seq().unwrap(),
        "{context}: log gaps"
    );
    let next = acked.keys().next_back().map_or(0, |i| i + 1);
    let unacked = steps
        .get(next)
        .is_some_and(|s| keys.values().any(|k| k.as_deref() == Some(s.key.as_str())));
    // Every acknowledged step is there with its events, and the same call answers the
    // same without writing.
    let before = sb.last_seq().unwrap();
    for (i, outcome) in acked {
        let receipts = outcome.as_ref().expect("the workflow is refused nowhere");
        for r in receipts {
            for seq in r.first_seq..=r.last_seq {
                assert_eq!(
                    keys.get(&seq),
                    Some(&Some(steps[*i].key.clone())),
                    "{context}: step {i} ({}) lost event {seq}",
                    steps[*i].key
                );
            }
        }
        let again = execute(&sb, &steps[*i]);
        assert_eq!(&again, outcome, "{context}: step {i} answered anew");
    }
    assert_eq!(
        sb.last_seq().unwrap(),
        before,
        "{context}: re-runs wrote events"
    );
    // Never oversold, anywhere.
    let mut places = vec!["WH".to_owned(), "WH/OUT".to_owned()];
    places.extend((0..ORDERS).map(bin));
    for sku in SKUS {
        for place in &places {
            let level = sb.stock_level(sku, place).unwrap();
            assert!(
                level.reserved <= level.on_hand && !level.reserved.is_negative(),
                "{context}: {sku} at {place}: {level:?}"
            );
        }
    }
    // Every order adds up, and its state follows the steps acknowledged.
    for o in sb.orders(None).unwrap() {
        for l in &o.lines {
            let sum = l.allocated.units() + l.picked.units() + l.shipped.units();
            let expected = match o.state {
                OrderState::Draft | OrderState::Confirmed => 0,
                OrderState::Cancelled => l.shipped.units(),
                _ => l.ordered.units(),
            };
            assert_eq!(sum + l.backordered.units(), expected, "{context}: {o:?}");
        }
        let i: usize = o.id[1..].parse().unwrap();
        let done = |step: &str| {
            steps
                .iter()
                .position(|s| s.key == format!("{step}-{}", o.id))
                .is_some_and(|k| acked.contains_key(&k))
        };
        let allowed: &[OrderState] = if done("deliver") {
            &[OrderState::Delivered]
        } else if done("ship") {
            &[OrderState::Shipped, OrderState::Delivered]
        } else if done("cancel") {
            &[OrderState::Cancelled]
        } else if done("pick-a") {
            &[
                OrderState::Picking,
                OrderState::Packed,
                OrderState::Shipped,
                OrderState::Cancelled,
            ]
        } else {
            &[
                OrderState::Draft,
                OrderState::Confirmed,
                OrderState::Allocated,
                OrderState::Picking,
            ]
        };
        assert!(
            allowed.contains(&o.state),
            "{context}: order {i} is {:?}",
            o.state
        );
    }
    sb.close().unwrap();
    unacked
}

/// What the finished workflow leaves: in each order's bin one unit of A (the hold's, given
/// back), and everything a cancelled order had picked; nothing reserved, nothing staged.
fn check_final(path: &Path) {
    let sb = Stockbook::open(path).unwrap();
    for i in 0..ORDERS {
        let b = bin(i);
        let (a, milk, phone) = if cancelled(i) {
            (a_units(i) + 1, 2, 2)
        } else {
            (1, 0, 0)
        };
        let units = |sku: &str| sb.on_hand(sku, &b).unwrap().units();
        assert_eq!(
            (units("A"), units("MILK"), units("PHONE")),
            (a, milk, phone),
            "bin {b}"
        );
        let state = sb.order(&format!("O{i}")).unwrap().state;
        let expected = match i {
            _ if cancelled(i) => OrderState::Cancelled,
            _ if i % 2 == 0 => OrderState::Delivered,
            _ => OrderState::Shipped,
        };
        assert_eq!(state, expected, "order {i}");
    }
    for sku in SKUS {
        let level = sb.stock_level(sku, "WH").unwrap();
        assert!(level.reserved.is_zero(), "{sku}: {level:?}");
        assert!(sb.on_hand(sku, "WH/OUT").unwrap().is_zero());
    }
    let first = serials(0);
    assert_eq!(sb.serial("PHONE", &first[0]).unwrap().location, "@customer");
    let back = serials(3);
    assert_eq!(sb.serial("PHONE", &back[1]).unwrap().location, bin(3));
    assert!(sb.verify().unwrap().is_sound());
    sb.close().unwrap();
}

#[test]
fn killed_order_workflows_resume_and_lose_nothing_acknowledged() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("orders-crash.stockbook");
    let steps = workflow();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let mut acked: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut kills = 0;
    let mut cut_mid_workflow = 0;
    let mut cut_after_commit = 0;
    let mut finished = false;
    for round in 0..KILLS * 2 {
        if kills >= KILLS {
            break;
        }
        let done_before = acked.keys().next_back().map_or(0, |i| i + 1);
        let kill = if round % 5 == 4 {
            Kill::AfterStart(Duration::from_micros(rng.below(30_000)))
        } else {
            let fresh = 1 + rng.below(10) as usize;
            Kill::AfterNewAcks(fresh, Duration::from_micros(rng.below(3_000)))
        };
        let (new, done) = run_child(&path, done_before, kill);
        kills += 1;
        let context = format!("seed {seed}, round {round}, {kill:?}");
        for (i, outcome) in new {
            // The same call answers the same in every process.
            if let Some(first) = acked.get(&i) {
                assert_eq!(first, &outcome, "{context}: step {i} answered anew");
            }
            acked.insert(i, outcome);
        }
        let now_done = acked.keys().next_back().map_or(0, |i| i + 1);
        if now_done > done_before && now_done < steps.len() {
            cut_mid_workflow += 1;
        }
        let unacked = check(&path, &steps, &acked, &context);
        cut_after_commit += usize::from(unacked);
        eprintln!(
            "{context}: {now_done} of {} steps acknowledged{}",
            steps.len(),
            if unacked {
                "; the next one had committed"
            } else {
                ""
            }
        );
        if done {
            finished = true;
            break;
        }
    }
    assert!(
        kills >= 20 || finished,
        "seed {seed}: only {kills} kills before the workflow ended"
    );
    assert!(
        cut_mid_workflow >= 10,
        "seed {seed}: only {cut_mid_workflow} kills cut the workflow short"
    );
    eprintln!("seed {seed}: {cut_after_commit} kills fell between a commit and its answer");
    // The last child resumes and runs to the end.
    let (new, done) = run_child(&path, 0, Kill::Never);
    assert!(done, "seed {seed}: the last child did not finish");
    assert_eq!(new.len(), steps.len());
    for (i, outcome) in new {
        if let Some(first) = acked.get(&i) {
            assert_eq!(
                first, &outcome,
                "seed {seed}: step {i} answered anew at the end"
            );
        }
        acked.insert(i, outcome);
    }
    assert!(!check(
        &path,
        &steps,
        &acked,
        &format!("seed {seed}, at the end")
    ));
    check_final(&path);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

/// In a child process (see above) this runs the workflow. Run on its own, it runs the
/// workflow twice in this process (the second time every step answers from memory) and
/// checks the result the same way.
#[test]
fn orders_crash_child() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        child(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clean.stockbook");
    let steps = workflow();
    let mut acked = BTreeMap::new();
    for _ in 0..2 {
        let sb = Stockbook::open(&path).unwrap();
        for (i, s) in steps.iter().enumerate() {
            let outcome = execute(&sb, s);
            assert!(outcome.is_ok(), "step {i} ({}): {outcome:?}", s.key);
            if let Some(first) = acked.get(&i) {
                assert_eq!(first, &outcome);
            }
            acked.insert(i, outcome);
        }
        sb.close().unwrap();
    }
    assert!(!check(&path, &steps, &acked, "in-process"));
    check_final(&path);
}
