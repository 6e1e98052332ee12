//! Crash safety. This test binary re-executes itself as a child process that writes to a
//! file from several threads and prints every acknowledged command; the parent kills it
//! with SIGKILL at random moments, reopens the file and checks that every acknowledged
//! command is there (its events in the log, and the same outcome when re-executed with its
//! key, writing nothing), that no atomic batch is half there, that `verify()` is sound and
//! that the ledger's invariants hold. Then it starts the next child on the same file.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use stockbook::{
    BalanceFilter, Command, Count, Error, Issue, Item, Location, LocationKind, Meta, Options, Qty,
    Receipt, Receive, Stockbook, Transfer,
};

const CHILD_ENV: &str = "STOCKBOOK_CRASH_CHILD_PATH";
const ROUND_ENV: &str = "STOCKBOOK_CRASH_ROUND";
const ROUNDS: u32 = 24;
const WRITER_THREADS: u32 = 4;
/// An orphaned child stops by itself after this long.
const CHILD_LIFETIME: Duration = Duration::from_secs(20);

/// One acknowledged command, as the child printed it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Ack {
    key: String,
    batch: bool,
    commands: Vec<Command>,
    meta: Meta,
    outcome: Result<Vec<Receipt>, Error>,
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

fn execute(sb: &Stockbook, commands: Vec<Command>, meta: Meta, batch: bool) -> Ack {
    let key = meta.key.clone().expect("every command here has a key");
    let outcome = if batch {
        sb.execute_batch(commands.clone(), meta.clone())
    } else {
        sb.execute(commands[0].clone(), meta.clone())
            .map(|r| vec![r])
    };
    Ack {
        key,
        batch,
        commands,
        meta,
        outcome,
    }
}

fn setup_commands() -> Vec<Command> {
    let mut b = Item::new("B");
    b.decimals = 2;
    let mut wh = Location::new("WH");
    wh.kind = LocationKind::Site;
    let bin = |code: &str| {
        let mut l = Location::new(code);
        l.parent = Some("WH".into());
        Command::DefineLocation(l)
    };
    vec![
        Command::DefineItem(Item::new("A")),
        Command::DefineItem(b),
        Command::DefineLocation(wh),
        bin("WH/1"),
        bin("WH/2"),
    ]
}

/// One command of the workload; its key and correlation are `<kind><round>-<thread>-<n>`.
fn next_command(rng: &mut Rng, round: u32, t: u32, n: u64) -> (Vec<Command>, Meta, bool) {
    let kind = ['r', 'r', 's', 'b', 'b', 'f', 'c'][rng.below(7) as usize];
    let id = format!("{kind}{round}-{t}-{n}");
    let meta = Meta::new().key(&id).correlation(&id).actor(format!("t{t}"));
    let whole = |rng: &mut Rng, max: u64| Qty::from_int(1 + rng.below(max) as i64);
    match kind {
        'r' => (
            vec![Command::Receive(Receive::new("A", "WH/1", whole(rng, 10)))],
            meta,
            false,
        ),
        's' => (
            vec![Command::Ship(Issue::new("A", "WH/1", whole(rng, 15)))],
            meta,
            false,
        ),
        'b' => {
            // Three commands, three events, all or nothing.
            let cents = 1 + rng.below(10_000) as i64;
            let q = Qty::from_units(cents, 2).unwrap();
            let shipped = Qty::from_units(1 + rng.below(cents as u64) as i64, 2).unwrap();
            let commands = vec![
                Command::Receive(Receive::new("B", "WH/1", q)),
                Command::Transfer(Transfer::new("B", "WH/1", "WH/2", q)),
                Command::Ship(Issue::new("B", "WH/2", shipped)),
            ];
            (commands, meta, true)
        }
        'f' => {
            // A batch that is always refused: none of it may ever be in the log.
            let commands = vec![
                Command::Receive(Receive::new("A", "WH/2", 1)),
                Command::Transfer(Transfer::new("A", "WH/2", "WH/1", Qty::from_int(1))),
                Command::Ship(Issue::new("A", "WH/1", 1_000_000_000)),
            ];
            (commands, meta, true)
        }
        _ => {
            let count = Count::new("A", "WH/2", Qty::from_int(rng.below(5) as i64));
            (vec![Command::Count(count)], meta, false)
        }
    }
}

/// Opens `path` and writes from several threads until `deadline`, sending one line per
/// acknowledged command (refusals included: they are remembered outcomes too) to `sink`
/// as soon as it is acknowledged.
fn workload(path: &Path, round: u32, deadline: Instant, sink: Arc<Mutex<dyn Write + Send>>) {
    // Blocks of 64 events (the file keeps the length it was created with): the index is
    // folded from memory into the tables many times a round, so kills land mid-fold too.
    let options = Options {
        index_block_events: 64,
        ..Options::default()
    };
    let sb = Stockbook::open_with(path, options).unwrap();
    let emit = |ack: &Ack| {
        let line = format!("ACK {}\n", serde_json::to_string(ack).unwrap());
        let mut out = sink.lock().unwrap();
        // One write per line: a line in a pipe is whole or absent.
        out.write_all(line.as_bytes()).unwrap();
        out.flush().unwrap();
    };
    let setup = execute(&sb, setup_commands(), Meta::new().key("setup"), true);
    assert!(setup.outcome.is_ok(), "setup: {:?}", setup.outcome);
    emit(&setup);
    thread::scope(|scope| {
        for t in 0..WRITER_THREADS {
            let sb = sb.clone();
            let emit = &emit;
            scope.spawn(move || {
                let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ (u64::from(round) << 8 | u64::from(t)));
                let mut n = 0;
                while Instant::now() < deadline {
                    let (commands, meta, batch) = next_command(&mut rng, round, t, n);
                    let ack = execute(&sb, commands, meta, batch);
                    if let Err(e) = &ack.outcome {
                        assert!(
                            matches!(e.code(), "insufficient_stock" | "batch_refused"),
                            "unexpected refusal {e}"
                        );
                    }
                    emit(&ack);
                    n += 1;
                }
            });
        }
    });
    sb.close().unwrap();
}

/// Reopens the file and checks it against every acknowledgement so far; re-executes the
/// `replay` ones (with their keys) and checks that they answer the same and write nothing.
fn check(path: &Path, acks: &[Ack], replay: &[Ack], context: &str) {
    let sb = Stockbook::open(path).unwrap_or_else(|e| panic!("{context}: reopen: {e}"));
    let report = sb.verify().unwrap();
    assert!(
        report.is_sound(),
        "{context}: verify: {:?}",
        report.problems
    );

    // The log, by sequence and by correlation.
    let mut key_at: HashMap<u64, Option<String>> = HashMap::new();
    let mut by_correlation: HashMap<String, usize> = HashMap::new();
    for env in sb.events_iter(0) {
        let env = env.unwrap();
        key_at.insert(env.seq, env.key.clone());
        if let Some(c) = env.correlation {
            *by_correlation.entry(c).or_default() += 1;
        }
    }
    assert_eq!(
        key_at.len() as u64,
        sb.last_seq().unwrap(),
        "{context}: gaps in the log"
    );

    // Every acknowledged command is there, whole; every acknowledged refusal wrote nothing.
    for ack in acks {
        match &ack.outcome {
            Ok(receipts) => {
                assert_eq!(receipts.len(), ack.commands.len());
                let mut events = 0;
                for r in receipts {
                    for seq in r.first_seq..=r.last_seq {
                        assert_eq!(
                            key_at.get(&seq),
                            Some(&Some(ack.key.clone())),
                            "{context}: acknowledged {} lost its event {seq}",
                            ack.key
                        );
                        events += 1;
                    }
                }
                if ack.key != "setup" {
                    assert_eq!(
                        by_correlation.get(&ack.key),
                        Some(&events),
                        "{context}: {}",
                        ack.key
                    );
                }
            }
            Err(_) => assert_eq!(
                by_correlation.get(&ack.key),
                None,
                "{context}: refused {} left events",
                ack.key
            ),
        }
    }
    // No batch is half there, acknowledged or not (the kill may have cut its answer).
    for (correlation, events) in &by_correlation {
        match correlation.chars().next() {
            Some('b') => assert_eq!(*events, 3, "{context}: batch {correlation} is half there"),
            Some('f') => panic!("{context}: refused batch {correlation} has {events} events"),
            _ => {}
        }
    }

    // The ledger's invariants, directly.
    let all = BalanceFilter::new().include_virtual(true);
    let mut sums: HashMap<String, i128> = HashMap::new();
    for b in sb.balances(&all).unwrap() {
        *sums.entry(b.sku.clone()).or_default() += i128::from(b.on_hand.units());
        assert!(
            b.location.starts_with('@') || !b.on_hand.is_negative(),
            "{context}: negative balance {b:?}"
        );
    }
    assert!(
        sums.values().all(|s| *s == 0),
        "{context}: ledger sums {sums:?}"
    );

    // Re-executing acknowledged commands with their keys answers the same, writes nothing.
    let before = sb.last_seq().unwrap();
    let chunk = replay.len().div_ceil(8).max(1);
    thread::scope(|scope| {
        for part in replay.chunks(chunk) {
            let sb = sb.clone();
            scope.spawn(move || {
                for ack in part {
                    let again = execute(&sb, ack.commands.clone(), ack.meta.clone(), ack.batch);
                    assert_eq!(
                        again.outcome, ack.outcome,
                        "{context}: {} answered anew",
                        ack.key
                    );
                }
            });
        }
    });
    assert_eq!(
        sb.last_seq().unwrap(),
        before,
        "{context}: replays wrote events"
    );
    sb.close().unwrap();
}

fn parse_acks(lines: &[String]) -> Vec<Ack> {
    let mut acks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(json) = line.split_once("ACK ").map(|(_, rest)| rest) else {
            continue;
        };
        match serde_json::from_str(json) {
            Ok(ack) => acks.push(ack),
            // Only the very last line can have been cut by the kill.
            Err(e) => assert_eq!(i + 1, lines.len(), "unreadable line {line:?}: {e}"),
        }
    }
    acks
}

/// Starts a child on `path` and kills it `delay` after it started (`from_spawn`) or after
/// its first acknowledgement; returns the acknowledgements it printed.
fn run_child(path: &Path, round: u32, delay: Duration, from_spawn: bool) -> Vec<Ack> {
    let mut child = Process::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, path)
        .env(ROUND_ENV, round.to_string())
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
    if !from_spawn {
        let waited = Instant::now();
        while waited.elapsed() < Duration::from_secs(10) {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(line) => {
                    let first = line.contains("ACK ");
                    lines.push(line);
                    if first {
                        break;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    }
    thread::sleep(delay);
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    parse_acks(&lines)
}

#[test]
fn killed_writers_lose_nothing_acknowledged() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("crash.stockbook");
    Stockbook::open(&path).unwrap().close().unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let mut acks: Vec<Ack> = Vec::new();
    let mut rounds_with_acks = 0;
    for round in 0..ROUNDS {
        let delay = Duration::from_millis(5 + rng.below(146));
        let from_spawn = round % 4 == 3;
        let new = run_child(&path, round, delay, from_spawn);
        let since = if from_spawn {
            "its start"
        } else {
            "its first ack"
        };
        let context = format!("seed {seed}, round {round}, killed {delay:?} after {since}");
        if new.len() > 1 {
            rounds_with_acks += 1;
        }
        eprintln!("{context}: {} acknowledged", new.len());
        // Replay this round's acknowledgements and a sample of the older ones.
        let mut replay: Vec<Ack> = new.clone();
        for _ in 0..16 {
            if !acks.is_empty() {
                replay.push(acks[rng.below(acks.len() as u64) as usize].clone());
            }
        }
        acks.extend(new);
        check(&path, &acks, &replay, &context);
    }
    let batches = acks
        .iter()
        .filter(|a| a.key.starts_with('b') && a.outcome.is_ok())
        .count();
    let refusals = acks.iter().filter(|a| a.outcome.is_err()).count();
    assert!(
        rounds_with_acks >= ROUNDS / 4,
        "seed {seed}: children rarely got to write"
    );
    assert!(
        batches > 0 && refusals > 0,
        "seed {seed}: {batches} batches, {refusals} refusals"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

/// In a child process (see `killed_writers_lose_nothing_acknowledged`) this runs the
/// workload until it is killed. Run on its own, it runs the workload briefly in this
/// process, closes the file cleanly and checks every acknowledgement the same way.
#[test]
fn crash_child() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        let round: u32 = std::env::var(ROUND_ENV).unwrap().parse().unwrap();
        let sink: Arc<Mutex<dyn Write + Send>> = Arc::new(Mutex::new(std::io::stdout()));
        workload(
            Path::new(&path),
            round,
            Instant::now() + CHILD_LIFETIME,
            sink,
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clean.stockbook");
    let buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    for round in 0..2 {
        let sink: Arc<Mutex<dyn Write + Send>> = buffer.clone();
        workload(
            &path,
            round,
            Instant::now() + Duration::from_millis(150),
            sink,
        );
    }
    let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let acks = parse_acks(&lines);
    assert!(acks.len() > 10, "only {} commands in 300 ms", acks.len());
    check(&path, &acks, &acks, "in-process");
}
