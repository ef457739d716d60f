//! Cluster benchmark: cross-process fan-out latency (p50, p99) and sustained updates per second
//! with two server processes on one PostgreSQL database, beside the same figures for one process
//! (on PostgreSQL, and on SQLite for reference).
//!
//! ```sh
//! cargo bench --bench cluster              # full run: 3 runs of every configuration (~3–4 min)
//! cargo bench --bench cluster -- --quick   # 1 run, smaller sizes: a smoke test (~20 s)
//! ```
//!
//! Needs PostgreSQL on 127.0.0.1:5432 with trust authentication for user `postgres`
//! (`SAMSKRIV_TEST_POSTGRES` names another admin URL, as for the tests). Every measured run starts
//! fresh server processes (`target/release/samskriv serve` on 127.0.0.1, port 0) on a fresh
//! database, dropped afterwards. A full run prints the table and writes it into the results
//! section of docs/benchmarks-cluster.md, which also describes the method.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use samskriv::auth::{Access, Claims, TokenKey, now_secs};
use samskriv::sync::lib0::Reader;
use samskriv::sync::message::{MSG_SAVED, MSG_SYNC, encode_sync_step1, encode_update};
use samskriv::sync::validate::ParsedUpdate;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const SECRET: &str = "cluster-bench-secret-not-for-production";
const RESULTS_BEGIN: &str = "<!-- results:begin (written by cargo bench --bench cluster) -->";
const RESULTS_END: &str = "<!-- results:end -->";

// ---------------------------------------------------------------------------------------------
// Sizes

/// Everything that sets how long the benchmark runs.
struct Sizes {
    /// Measured runs of every configuration (the table shows medians).
    runs: usize,
    /// Fan-out: readers on the document, updates the writer sends, and its steady rate.
    readers: usize,
    updates: usize,
    rate_per_sec: f64,
    /// Throughput: most updates the writer has sent but not yet seen acknowledged.
    window: u32,
    /// Throughput: time before measuring (connections and caches warm up), then measured time.
    warmup: Duration,
    measure: Duration,
}

impl Sizes {
    fn full() -> Self {
        Self {
            runs: 3,
            readers: 20,
            updates: 2000,
            rate_per_sec: 200.0,
            window: 256,
            warmup: Duration::from_secs(1),
            measure: Duration::from_secs(6),
        }
    }

    fn quick() -> Self {
        Self {
            runs: 1,
            updates: 400,
            warmup: Duration::from_millis(500),
            measure: Duration::from_secs(2),
            ..Self::full()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Server processes and their storage

fn postgres_admin_url() -> String {
    std::env::var("SAMSKRIV_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_string())
}

/// Runs one SQL statement as the PostgreSQL admin; panics with psql's message on failure.
fn psql(sql: &str) -> String {
    let out = Command::new("psql")
        .arg(format!("{}/postgres", postgres_admin_url()))
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-t", "-A", "-c", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A fresh PostgreSQL database, dropped (closing its connections) when this is dropped.
struct PgDatabase {
    name: String,
    url: String,
}

impl PgDatabase {
    fn create() -> Self {
        let mut raw = [0u8; 6];
        getrandom::fill(&mut raw).expect("random name");
        let name: String = std::iter::once("samskriv_bench_".to_string())
            .chain(raw.iter().map(|b| format!("{b:02x}")))
            .collect();
        psql(&format!("CREATE DATABASE {name}"));
        let url = format!("{}/{name}", postgres_admin_url());
        Self { name, url }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .arg(format!("{}/postgres", postgres_admin_url()))
            .args(["-q", "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .output();
    }
}

/// One `samskriv serve` child process on a random loopback port; killed when dropped.
struct ServerProcess {
    child: Child,
    port: u16,
    // Kept open so that the server never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl ServerProcess {
    /// Starts the server and waits for its "listening" line. Without `database_url` it uses
    /// SQLite in `data_dir`.
    fn start(instance: &str, data_dir: &Path, database_url: Option<&str>) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_samskriv"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--token-secret", SECRET])
            .args(["--instance-name", instance])
            .arg("--data-dir")
            .arg(data_dir);
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        let mut child = cmd
            .env("SAMSKRIV_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start samskriv");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the address line");
        let port = line
            .trim()
            .strip_prefix("samskriv listening on http://127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Self {
            child,
            port,
            _stdout: stdout,
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system, all threads) process `pid` has used so far; None once it is gone.
fn process_cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at field 3 (state); utime
    // and stime are fields 14 and 15, in clock ticks.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(
        ticks as f64 / clock_ticks_per_sec(),
    ))
}

/// The PostgreSQL backends serving `database`: their process title (`update_process_title`,
/// on by default) reads "postgres: … postgres DATABASE 127.0.0.1(PORT) state".
fn postgres_backends(database: &str) -> Vec<u32> {
    let needle = format!(" postgres {database} ");
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
        })
        .collect()
}

/// CPU time used so far by a run's server processes and by the database's backends.
#[derive(Clone, Default)]
struct CpuSample {
    samskriv: Duration,
    /// Per backend process, so that a backend that starts mid-interval counts from zero.
    postgres: std::collections::HashMap<u32, Duration>,
}

impl CpuSample {
    /// CPU used from `earlier` to this sample: (samskriv, PostgreSQL backends).
    fn since(&self, earlier: &CpuSample) -> (Duration, Duration) {
        let postgres = self
            .postgres
            .iter()
            .map(|(pid, t)| {
                t.saturating_sub(earlier.postgres.get(pid).copied().unwrap_or_default())
            })
            .sum();
        (self.samskriv.saturating_sub(earlier.samskriv), postgres)
    }
}

/// What to sample for a run's CPU use; cheap to clone into a task.
#[derive(Clone)]
struct CpuProbe {
    server_pids: Vec<u32>,
    database: Option<String>,
}

impl CpuProbe {
    fn sample(&self) -> CpuSample {
        let samskriv = self
            .server_pids
            .iter()
            .filter_map(|&pid| process_cpu_time(pid))
            .sum();
        let postgres = self
            .database
            .as_deref()
            .map(postgres_backends)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|pid| Some((pid, process_cpu_time(pid)?)))
            .collect();
        CpuSample { samskriv, postgres }
    }
}

fn clock_ticks_per_sec() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Which servers a configuration runs.
#[derive(Clone, Copy, PartialEq)]
enum Setup {
    /// One process on SQLite (the project's default storage), for reference.
    OneSqlite,
    /// One process on PostgreSQL: the baseline.
    OnePostgres,
    /// Two processes ("a" and "b") on one PostgreSQL database.
    TwoPostgres,
}

/// The running servers of one measured run; `servers[0]` is "a".
struct Cluster {
    // Dropped in declaration order: the processes first, then their storage.
    servers: Vec<ServerProcess>,
    _dir: tempfile::TempDir,
    db: Option<PgDatabase>,
}

impl Cluster {
    fn start(setup: Setup) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = (setup != Setup::OneSqlite).then(PgDatabase::create);
        let url = db.as_ref().map(|d| d.url.as_str());
        let names: &[&str] = if setup == Setup::TwoPostgres {
            &["a", "b"]
        } else {
            &["a"]
        };
        let servers = names
            .iter()
            .map(|name| {
                let data = dir.path().join(name);
                ServerProcess::start(name, &data, url)
            })
            .collect();
        Self {
            servers,
            _dir: dir,
            db,
        }
    }

    fn port(&self, server: usize) -> u16 {
        self.servers[server].port
    }

    fn cpu_probe(&self) -> CpuProbe {
        CpuProbe {
            server_pids: self.servers.iter().map(|p| p.child.id()).collect(),
            database: self.db.as_ref().map(|d| d.name.clone()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Clients

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a read-write connection to `doc` on the server at `port`; `ack` asks for "saved".
async fn connect(port: u16, doc: &str, user: &str, ack: bool) -> Ws {
    let token = TokenKey::from_secret(SECRET).mint(&Claims {
        doc: doc.into(),
        user: user.into(),
        mode: Access::ReadWrite,
        exp: now_secs() + 3600,
    });
    let ack = if ack { "&ack=1" } else { "" };
    let url = format!("ws://127.0.0.1:{port}/ws/{doc}?token={token}{ack}");
    let (ws, _) = tokio_tungstenite::connect_async(&url)
        .await
        .unwrap_or_else(|e| panic!("connect to port {port}: {e}"));
    ws
}

/// A sync round trip (our step 1, the server's step 2): afterwards the connection has joined
/// the document's room and receives every later update.
async fn join(ws: &mut Ws) {
    ws.send(WsMessage::Binary(encode_sync_step1(&[0])))
        .await
        .expect("send sync step 1");
    let within = Duration::from_secs(10);
    loop {
        match tokio::time::timeout(within, ws.next()).await {
            Ok(Some(Ok(WsMessage::Binary(b)))) if b.starts_with(&[MSG_SYNC as u8, 1]) => return,
            Ok(Some(Ok(_))) => continue,
            other => panic!("no sync step 2 while joining: {other:?}"),
        }
    }
}

/// The one writer of a run: a local yrs document typing one character per update at the end
/// of its `Y.Text`, as an editor does. Its k-th update (from 1) takes its clock to k.
struct Typist {
    doc: yrs::Doc,
    text: yrs::TextRef,
}

impl Typist {
    fn new() -> Self {
        let doc = yrs::Doc::new();
        let text = doc.get_or_insert_text("text");
        Self { doc, text }
    }

    fn client_id(&self) -> u64 {
        self.doc.client_id().get()
    }

    /// Types one character; returns the sync update frame carrying it.
    fn type_one(&self) -> WsMessage {
        use yrs::{Text, Transact};
        let mut txn = self.doc.transact_mut();
        let end = self.text.len(&txn);
        self.text.insert(&mut txn, end, "x");
        WsMessage::Binary(encode_update(&txn.encode_update_v1()))
    }
}

/// If `frame` is a sync step 2 or update carrying content of `writer`, the writer's clock just
/// past it, i.e. how many of the writer's updates a receiver holds once it has the frame.
/// (Counting by clock rather than by frame stays right if the server ever merges updates.)
fn writer_clock_in(frame: &[u8], writer: u64) -> Option<u32> {
    let mut r = Reader::new(frame);
    if r.var_u64().ok()? != MSG_SYNC || !matches!(r.var_u64().ok()?, 1 | 2) {
        return None;
    }
    let update = r.buf().ok()?;
    let parsed = ParsedUpdate::parse(update).ok()?;
    parsed
        .clock_ends()
        .find(|&(client, _)| client == writer)
        .map(|(_, end)| end)
}

/// If `frame` is a "saved" message, the clock it acknowledges for `writer`.
fn saved_clock_in(frame: &[u8], writer: u64) -> Option<u32> {
    let mut r = Reader::new(frame);
    if r.var_u64().ok()? != MSG_SAVED {
        return None;
    }
    let n = r.var_u64().ok()?;
    let mut found = None;
    for _ in 0..n {
        let (client, clock) = (r.var_u64().ok()?, r.var_u32().ok()?);
        if client == writer {
            found = Some(clock);
        }
    }
    found
}

/// Reads the connection until `deadline`, ignoring everything (the writer in the fan-out must
/// keep its socket drained, or the server would close it).
async fn discard_until(mut stream: futures_util::stream::SplitStream<Ws>, deadline: Instant) {
    while let Ok(Some(Ok(_))) = tokio::time::timeout_at(deadline.into(), stream.next()).await {}
}

// ---------------------------------------------------------------------------------------------
// Scenario A: fan-out latency

/// Where the fan-out's readers connect (the writer is always on server "a").
#[derive(Clone, Copy)]
enum Placement {
    WithWriter,
    OtherProcess,
    /// Even readers with the writer, odd readers on the other process.
    Split,
}

impl Placement {
    fn server_of(self, reader: usize) -> usize {
        match self {
            Placement::WithWriter => 0,
            Placement::OtherProcess => 1,
            Placement::Split => reader % 2,
        }
    }
}

/// One fan-out run: delivery latencies to readers on the writer's process and on the other.
struct FanoutRun {
    local: Vec<Duration>,
    remote: Vec<Duration>,
    /// Deliveries expected per side: readers there × updates.
    expected_local: usize,
    expected_remote: usize,
}

/// One writer on server "a" sends `updates` single-character updates at a steady rate to a
/// document with `readers` readers; each reader records when each update arrives.
async fn fanout_run(cluster: &Cluster, placement: Placement, s: &Sizes) -> FanoutRun {
    let doc = "bench-fanout";
    let typist = Typist::new();
    let writer_id = typist.client_id();
    let writing_time = Duration::from_secs_f64(s.updates as f64 / s.rate_per_sec);
    // Readers give up 30 s after the writer's last update is due.
    let deadline = Instant::now() + Duration::from_secs(30) + writing_time;

    let mut readers = Vec::new();
    for i in 0..s.readers {
        let server = placement.server_of(i);
        let mut ws = connect(cluster.port(server), doc, &format!("reader-{i}"), false).await;
        join(&mut ws).await;
        let task = tokio::spawn(record_arrivals(ws, writer_id, s.updates, deadline));
        readers.push((server, task));
    }

    let mut writer = connect(cluster.port(0), doc, "writer", false).await;
    join(&mut writer).await;
    let (mut sink, stream) = writer.split();
    let drain = tokio::spawn(discard_until(stream, deadline));
    let sent = type_at_rate(&mut sink, &typist, s.updates, s.rate_per_sec).await;

    let mut run = FanoutRun {
        local: Vec::new(),
        remote: Vec::new(),
        expected_local: 0,
        expected_remote: 0,
    };
    for (server, task) in readers {
        let arrivals = task.await.expect("reader task");
        let (latencies, expected) = if server == 0 {
            (&mut run.local, &mut run.expected_local)
        } else {
            (&mut run.remote, &mut run.expected_remote)
        };
        *expected += s.updates;
        latencies.extend(arrivals.iter().zip(&sent).filter_map(|(arrived, sent)| {
            Some(arrived.as_ref()?.saturating_duration_since(*sent))
        }));
    }
    let _ = sink.close().await;
    drain.abort();
    run
}

/// Sends `n` updates, the k-th at start + k / rate; returns the instant each was sent.
async fn type_at_rate(
    sink: &mut futures_util::stream::SplitSink<Ws, WsMessage>,
    typist: &Typist,
    n: usize,
    rate_per_sec: f64,
) -> Vec<Instant> {
    let start = Instant::now();
    let mut sent = Vec::with_capacity(n);
    for k in 0..n {
        let due = start + Duration::from_secs_f64(k as f64 / rate_per_sec);
        tokio::time::sleep_until(due.into()).await;
        let frame = typist.type_one();
        sent.push(Instant::now());
        sink.send(frame).await.expect("send an update");
    }
    sent
}

/// A reader: records when the writer's first `n` updates arrive (None for any that did not
/// arrive by `deadline`).
async fn record_arrivals(
    mut ws: Ws,
    writer: u64,
    n: usize,
    deadline: Instant,
) -> Vec<Option<Instant>> {
    let mut arrivals = vec![None; n];
    let mut have = 0;
    while have < n {
        let Ok(Some(Ok(msg))) = tokio::time::timeout_at(deadline.into(), ws.next()).await else {
            break;
        };
        let now = Instant::now();
        if let WsMessage::Binary(frame) = msg
            && let Some(clock) = writer_clock_in(&frame, writer)
        {
            let clock = (clock as usize).min(n);
            for slot in arrivals.iter_mut().take(clock).skip(have) {
                *slot = Some(now);
            }
            have = have.max(clock);
        }
    }
    let _ = ws.close(None).await;
    arrivals
}

// ---------------------------------------------------------------------------------------------
// Scenario B: sustained updates per second

struct ThroughputRun {
    /// Updates per second that reached the reader, and that the writer saw acknowledged,
    /// over the measured interval.
    delivered_per_sec: f64,
    acked_per_sec: f64,
    /// CPU per acknowledged update over the measured interval: of the samskriv processes
    /// together, and of the PostgreSQL backends serving them (None on SQLite).
    samskriv_cpu_per_update: Duration,
    postgres_cpu_per_update: Option<Duration>,
    /// Whether the reader received every update sent, and how long after the writer stopped.
    complete: bool,
    catch_up: Duration,
}

/// One writer (with "saved" acknowledgements) on server "a" keeps `window` updates outstanding
/// for warmup + measure; one reader on `servers[reader_server]` counts what arrives.
async fn throughput_run(cluster: &Cluster, reader_server: usize, s: &Sizes) -> ThroughputRun {
    let doc = "bench-throughput";
    let typist = Typist::new();
    let writer_id = typist.client_id();

    let mut reader = connect(cluster.port(reader_server), doc, "reader", false).await;
    join(&mut reader).await;
    let delivered = Arc::new(AtomicU32::new(0));
    let reader_task = tokio::spawn(count_deliveries(reader, writer_id, delivered.clone()));

    let mut writer = connect(cluster.port(0), doc, "writer", true).await;
    join(&mut writer).await;
    let (mut sink, stream) = writer.split();
    let (acked_tx, mut acked) = watch::channel(0u32);
    let ack_task = tokio::spawn(read_acks(stream, writer_id, acked_tx));

    let start = Instant::now();
    let (measure_from, measure_to) = (start + s.warmup, start + s.warmup + s.measure);
    // The figures: the reader's and the writer's counts and the CPU time used at both ends of
    // the measured interval, sampled in a task of their own.
    let sampler = {
        let (delivered, acked, probe) = (delivered.clone(), acked.clone(), cluster.cpu_probe());
        let sample = move || {
            let counts = (delivered.load(Ordering::Relaxed), *acked.borrow());
            (counts, probe.sample())
        };
        tokio::spawn(async move {
            tokio::time::sleep_until(measure_from.into()).await;
            let first = sample();
            tokio::time::sleep_until(measure_to.into()).await;
            (first, sample())
        })
    };
    let writing = async {
        let mut sent = 0u32;
        loop {
            // Wait for room in the window, but not past the end of the interval.
            let room = async {
                acked
                    .wait_for(|&a| sent.saturating_sub(a) < s.window)
                    .await
                    .is_ok()
            };
            tokio::select! {
                ok = room => assert!(ok, "the writer's connection ended"),
                _ = tokio::time::sleep_until(measure_to.into()) => break,
            }
            if Instant::now() >= measure_to {
                break;
            }
            sink.send(typist.type_one()).await.expect("send an update");
            sent += 1;
        }
        sent
    };
    let sent = writing.await;
    let (((d0, a0), cpu0), ((d1, a1), cpu1)) = sampler.await.expect("sampler task");
    let (samskriv_cpu, postgres_cpu) = cpu1.since(&cpu0);
    let secs = s.measure.as_secs_f64();

    // Let the reader catch up with everything sent.
    let stopped = Instant::now();
    let catch_up_limit = stopped + Duration::from_secs(30);
    while delivered.load(Ordering::Relaxed) < sent && Instant::now() < catch_up_limit {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let complete = delivered.load(Ordering::Relaxed) >= sent;
    let catch_up = stopped.elapsed();

    let _ = sink.close().await;
    ack_task.abort();
    reader_task.abort();
    ThroughputRun {
        delivered_per_sec: f64::from(d1 - d0) / secs,
        acked_per_sec: f64::from(a1 - a0) / secs,
        samskriv_cpu_per_update: samskriv_cpu / (a1 - a0).max(1),
        postgres_cpu_per_update: cluster
            .db
            .is_some()
            .then(|| postgres_cpu / (a1 - a0).max(1)),
        complete,
        catch_up,
    }
}

/// The throughput reader: keeps `delivered` at the writer's clock it holds.
async fn count_deliveries(mut ws: Ws, writer: u64, delivered: Arc<AtomicU32>) {
    while let Some(Ok(msg)) = ws.next().await {
        if let WsMessage::Binary(frame) = msg
            && let Some(clock) = writer_clock_in(&frame, writer)
        {
            delivered.fetch_max(clock, Ordering::Relaxed);
        }
    }
}

/// The throughput writer's incoming side: publishes the acknowledged clock.
async fn read_acks(
    mut stream: futures_util::stream::SplitStream<Ws>,
    writer: u64,
    acked: watch::Sender<u32>,
) {
    while let Some(Ok(msg)) = stream.next().await {
        if let WsMessage::Binary(frame) = msg
            && let Some(clock) = saved_clock_in(&frame, writer)
        {
            acked.send_if_modified(|a| {
                let newer = clock > *a;
                *a = (*a).max(clock);
                newer
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Configurations, medians and the report

/// A fan-out configuration; the two-process split gives two rows (readers on "a", on "b").
struct FanoutConfig {
    name: &'static str,
    setup: Setup,
    placement: Placement,
}

const FANOUT_CONFIGS: [FanoutConfig; 4] = [
    FanoutConfig {
        name: "1 process, SQLite",
        setup: Setup::OneSqlite,
        placement: Placement::WithWriter,
    },
    FanoutConfig {
        name: "1 process, PostgreSQL",
        setup: Setup::OnePostgres,
        placement: Placement::WithWriter,
    },
    FanoutConfig {
        name: "2 processes, readers on b",
        setup: Setup::TwoPostgres,
        placement: Placement::OtherProcess,
    },
    FanoutConfig {
        name: "2 processes, readers split",
        setup: Setup::TwoPostgres,
        placement: Placement::Split,
    },
];

/// A throughput configuration: where the reader is (the writer is always on "a").
struct ThroughputConfig {
    name: &'static str,
    setup: Setup,
    reader_server: usize,
}

const THROUGHPUT_CONFIGS: [ThroughputConfig; 3] = [
    ThroughputConfig {
        name: "1 process, SQLite",
        setup: Setup::OneSqlite,
        reader_server: 0,
    },
    ThroughputConfig {
        name: "1 process, PostgreSQL",
        setup: Setup::OnePostgres,
        reader_server: 0,
    },
    ThroughputConfig {
        name: "2 processes, reader on b",
        setup: Setup::TwoPostgres,
        reader_server: 1,
    },
];

/// Latency figures of one group of deliveries in one run.
#[derive(Clone, Copy)]
struct LatencyFigures {
    p50: Duration,
    p99: Duration,
    delivered_ratio: f64,
}

impl LatencyFigures {
    fn of(mut latencies: Vec<Duration>, expected: usize) -> Self {
        latencies.sort_unstable();
        Self {
            p50: percentile(&latencies, 0.50),
            p99: percentile(&latencies, 0.99),
            delivered_ratio: latencies.len() as f64 / expected.max(1) as f64,
        }
    }
}

/// Nearest-rank percentile of sorted values (zero when there are none).
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Microseconds; NaN for a figure that does not apply.
fn micros(d: Option<Duration>) -> f64 {
    d.map_or(f64::NAN, |d| d.as_secs_f64() * 1e6)
}

/// A table cell: the number, or "–" for a figure that does not apply.
fn cell(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        "–".into()
    } else {
        format!("{x:.decimals$}")
    }
}

/// Every run's figures, by row name, in the order rows were first seen.
#[derive(Default)]
struct Results {
    fanout: Vec<(String, Vec<LatencyFigures>)>,
    throughput: Vec<(String, Vec<ThroughputRun>)>,
}

fn push_row<T>(rows: &mut Vec<(String, Vec<T>)>, name: &str, value: T) {
    match rows.iter_mut().find(|(n, _)| n == name) {
        Some((_, values)) => values.push(value),
        None => rows.push((name.to_string(), vec![value])),
    }
}

impl Results {
    fn record_fanout(&mut self, config: &FanoutConfig, run: FanoutRun) {
        let local = LatencyFigures::of(run.local, run.expected_local);
        let remote = LatencyFigures::of(run.remote, run.expected_remote);
        let rows: Vec<(String, LatencyFigures)> = match config.placement {
            Placement::WithWriter => vec![(config.name.into(), local)],
            Placement::OtherProcess => vec![(config.name.into(), remote)],
            Placement::Split => vec![
                (
                    format!("{}: readers on a (with the writer)", config.name),
                    local,
                ),
                (format!("{}: readers on b", config.name), remote),
            ],
        };
        for (name, figures) in rows {
            println!(
                "  fan-out    {name:<50} p50 {:>7.2} ms  p99 {:>7.2} ms  delivered {:.4}",
                ms(figures.p50),
                ms(figures.p99),
                figures.delivered_ratio
            );
            push_row(&mut self.fanout, &name, figures);
        }
    }

    fn record_throughput(&mut self, config: &ThroughputConfig, run: ThroughputRun) {
        println!(
            "  throughput {:<50} {:>7.0} delivered/s  {:>7.0} acked/s  CPU/update {:>5.1} µs samskriv, {:>5} µs PostgreSQL  complete {} (after {:.0} ms)",
            config.name,
            run.delivered_per_sec,
            run.acked_per_sec,
            micros(Some(run.samskriv_cpu_per_update)),
            cell(micros(run.postgres_cpu_per_update), 1),
            run.complete,
            ms(run.catch_up),
        );
        push_row(&mut self.throughput, config.name, run);
    }

    /// The two result tables (medians over runs) in Markdown.
    fn tables(&self) -> String {
        let mut out = String::new();
        out.push_str("**Fan-out latency** (median over runs of each run's p50 and p99):\n\n");
        out.push_str("| configuration | p50 ms | p99 ms | delivered / expected | p50 vs 1 process | p99 vs 1 process |\n");
        out.push_str("|---|--:|--:|--:|--:|--:|\n");
        let fan = |runs: &Vec<LatencyFigures>, f: fn(&LatencyFigures) -> f64| {
            median(runs.iter().map(f).collect())
        };
        let base = self
            .fanout
            .iter()
            .find(|(n, _)| n == "1 process, PostgreSQL")
            .map(|(_, runs)| (fan(runs, |x| ms(x.p50)), fan(runs, |x| ms(x.p99))));
        for (name, runs) in &self.fanout {
            let (p50, p99) = (fan(runs, |x| ms(x.p50)), fan(runs, |x| ms(x.p99)));
            let worst = runs
                .iter()
                .map(|x| x.delivered_ratio)
                .fold(f64::INFINITY, f64::min);
            let (r50, r99) = base.map_or((f64::NAN, f64::NAN), |(b50, b99)| (p50 / b50, p99 / b99));
            out.push_str(&format!(
                "| {name} | {p50:.2} | {p99:.2} | {worst:.4} | {r50:.2}× | {r99:.2}× |\n"
            ));
        }
        out.push_str("\n**Sustained updates per second** (median over runs):\n\n");
        out.push_str("| configuration | delivered / s | acknowledged / s | delivered vs 1 process | samskriv CPU µs / update | PostgreSQL backends CPU µs / update | reader complete |\n");
        out.push_str("|---|--:|--:|--:|--:|--:|--:|\n");
        let thr = |runs: &Vec<ThroughputRun>, f: fn(&ThroughputRun) -> f64| {
            median(runs.iter().map(f).collect())
        };
        let base = self
            .throughput
            .iter()
            .find(|(n, _)| n == "1 process, PostgreSQL")
            .map(|(_, runs)| thr(runs, |r| r.delivered_per_sec));
        for (name, runs) in &self.throughput {
            let delivered = thr(runs, |r| r.delivered_per_sec);
            let acked = thr(runs, |r| r.acked_per_sec);
            let cpu = thr(runs, |r| micros(Some(r.samskriv_cpu_per_update)));
            let pg_cpu = cell(thr(runs, |r| micros(r.postgres_cpu_per_update)), 1);
            let complete = runs.iter().filter(|r| r.complete).count();
            let ratio = base.map_or(f64::NAN, |b| delivered / b);
            out.push_str(&format!(
                "| {name} | {delivered:.0} | {acked:.0} | {ratio:.2}× | {cpu:.1} | {pg_cpu} | {complete}/{} runs |\n",
                runs.len()
            ));
        }
        out
    }

    /// Whether every run delivered everything.
    fn all_delivered(&self) -> bool {
        self.fanout
            .iter()
            .flat_map(|(_, runs)| runs)
            .all(|x| x.delivered_ratio == 1.0)
            && self
                .throughput
                .iter()
                .flat_map(|(_, runs)| runs)
                .all(|r| r.complete)
    }
}

// ---------------------------------------------------------------------------------------------
// Machine description and the docs file

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The Markdown block written into docs/benchmarks-cluster.md after a full run.
fn report(results: &Results, s: &Sizes, load_before: &str, elapsed: Duration) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "Run of {date} with `cargo bench --bench cluster` ({runs} run(s) of each configuration, \
         {elapsed:.0} s in all).\n\n\
         - Machine: {cores} cores (nproc), {cpu}, Linux {kernel}; PostgreSQL {pg}.\n\
         - Load average (1, 5, 15 min) before the run: {load_before}; after: {load_after}. \
           The machine is shared: other work was running.\n\
         - Fan-out: {readers} readers, {updates} updates at {rate:.0}/s. Throughput: window \
           {window}, {warmup:.1} s warm-up, {measure:.0} s measured.\n\n\
         {tables}",
        date = command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        runs = s.runs,
        elapsed = elapsed.as_secs_f64(),
        cpu = cpu_model(),
        kernel = command_output("uname", &["-r"]),
        pg = psql("SHOW server_version"),
        load_after = load_average(),
        readers = s.readers,
        updates = s.updates,
        rate = s.rate_per_sec,
        window = s.window,
        warmup = s.warmup.as_secs_f64(),
        measure = s.measure.as_secs_f64(),
        tables = results.tables(),
    )
}

/// Replaces the results section (between the markers) of docs/benchmarks-cluster.md.
fn write_docs(block: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/benchmarks-cluster.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("{} not found: results not written", path.display());
        return;
    };
    let (Some(begin), Some(end)) = (text.find(RESULTS_BEGIN), text.find(RESULTS_END)) else {
        println!(
            "{} has no results markers: results not written",
            path.display()
        );
        return;
    };
    let updated = format!(
        "{}{RESULTS_BEGIN}\n\n{block}\n{}",
        &text[..begin],
        &text[end..]
    );
    std::fs::write(&path, updated).expect("write the docs file");
    println!("results written to {}", path.display());
}

// ---------------------------------------------------------------------------------------------
// Main

fn main() {
    // `cargo bench` passes --bench. Under `cargo test --all-targets` this runs as a smoke test:
    // the quick sizes, delivery checked, the documented results left alone.
    let under_bench = std::env::args().any(|a| a == "--bench");
    let quick = !under_bench || std::env::args().any(|a| a == "--quick");
    let sizes = if quick { Sizes::quick() } else { Sizes::full() };
    let load_before = load_average();
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let results = runtime.block_on(run_all(&sizes));
    let elapsed = started.elapsed();

    let block = report(&results, &sizes, &load_before, elapsed);
    println!("\n{block}");
    if !results.all_delivered() {
        eprintln!("some updates were not delivered: see the tables");
        std::process::exit(1);
    }
    if quick {
        println!("(--quick: docs/benchmarks-cluster.md left as it is)");
    } else {
        write_docs(&block);
    }
}

/// Runs every configuration `runs` times, interleaved (run 1 of each, then run 2 of each, …)
/// so that changes in the machine's load touch every configuration alike.
async fn run_all(s: &Sizes) -> Results {
    let mut results = Results::default();
    for run in 1..=s.runs {
        println!("run {run} of {}", s.runs);
        for config in &FANOUT_CONFIGS {
            let cluster = Cluster::start(config.setup);
            let figures = fanout_run(&cluster, config.placement, s).await;
            drop(cluster);
            results.record_fanout(config, figures);
        }
        for config in &THROUGHPUT_CONFIGS {
            let cluster = Cluster::start(config.setup);
            let figures = throughput_run(&cluster, config.reader_server, s).await;
            drop(cluster);
            results.record_throughput(config, figures);
        }
    }
    results
}
