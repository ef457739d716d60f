//! The fuzz harness: the server's path for incoming frames and updates, on one live document,
//! with the contract checks of docs/fuzzing.md. Shared by the fuzz targets (fuzz_targets/) and
//! the examples (seed generator, replay).
//!
//! The path mirrors `server/docs/room.rs`: `decode_frame`; for each update `check_integrable`
//! against the document's clocks, then `LiveDoc::apply`; when apply fails, the document is thrown
//! away and reloaded from the updates accepted so far. After every accepted update the harness
//! checks what the server will do with the document later (snapshots, sync replies, content).
//!
//! A broken contract panics (outside the `catch_unwind` of `LiveDoc`), which the fuzz target turns
//! into a crash. Checks can be relaxed by name with `SAMSKRIV_FUZZ_ALLOW` (see [`Check`]).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use samskriv::docs::awareness::Awareness;
use samskriv::docs::ydoc::{DocError, LiveDoc};
use samskriv::ids::ConnectionId;
use samskriv::sync::message::{
    AwarenessEntry, Message, decode_frame, decode_state_vector, encode_awareness,
};
use samskriv::sync::validate::ParsedUpdate;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Checks and their names

/// The properties checked after the server accepted something. Each has a name for
/// `SAMSKRIV_FUZZ_ALLOW` (comma-separated names, or `none`; default `apply-err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `apply` refused an update that `check_integrable` accepted. The server survives this (it
    /// closes the sender and reloads the document), so it is allowed by default; disallow it to
    /// hunt for gaps between the validator and yrs.
    ApplyErr,
    /// A yrs call after an accepted update failed: `encode_state_vector`, `encode_full`,
    /// `encode_diff` or `canonical` panicked (caught), or reloading the accepted updates failed.
    Encode,
    /// `canonical()` refused the content (too deep, an embed in text, a type as an attribute).
    Content,
    /// The server's own output (a snapshot, a sync step 2, a state vector) fails its own decoder
    /// or validator.
    SelfDecode,
    /// The clocks `LiveDoc` keeps for validation differ from yrs' state vector.
    Clocks,
    /// The document read back from a snapshot, a diff or the accepted log differs.
    Diverge,
    /// Re-applying an accepted update (clients re-send) is refused or changes the document.
    Reapply,
    /// An awareness message the server sends fails its own decoder.
    Awareness,
}

impl Check {
    pub const ALL: [Check; 8] = [
        Check::ApplyErr,
        Check::Encode,
        Check::Content,
        Check::SelfDecode,
        Check::Clocks,
        Check::Diverge,
        Check::Reapply,
        Check::Awareness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Check::ApplyErr => "apply-err",
            Check::Encode => "encode",
            Check::Content => "content",
            Check::SelfDecode => "self-decode",
            Check::Clocks => "clocks",
            Check::Diverge => "diverge",
            Check::Reapply => "reapply",
            Check::Awareness => "awareness",
        }
    }

    fn index(self) -> usize {
        Check::ALL.iter().position(|c| *c == self).unwrap()
    }
}

fn allowed(check: Check) -> bool {
    static ALLOWED: OnceLock<Vec<Check>> = OnceLock::new();
    ALLOWED
        .get_or_init(|| {
            let spec =
                std::env::var("SAMSKRIV_FUZZ_ALLOW").unwrap_or_else(|_| "apply-err".to_owned());
            spec.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "none")
                .map(|s| {
                    *Check::ALL
                        .iter()
                        .find(|c| c.name() == s)
                        .unwrap_or_else(|| panic!("SAMSKRIV_FUZZ_ALLOW: unknown check {s:?}"))
                })
                .collect()
        })
        .contains(&check)
}

/// A broken property: counted, and a panic (a crash of the fuzz target) unless allowed.
fn violated(check: Check, what: std::fmt::Arguments) {
    STATS.violations[check.index()].fetch_add(1, Ordering::Relaxed);
    if verbose() {
        eprintln!("[{}] {what}", check.name());
    }
    if !allowed(check) {
        panic!("contract broken [{}]: {what}", check.name());
    }
}

macro_rules! violated {
    ($check:expr, $($arg:tt)+) => { violated($check, format_args!($($arg)+)) };
}

fn verbose() -> bool {
    static V: OnceLock<bool> = OnceLock::new();
    *V.get_or_init(|| std::env::var_os("SAMSKRIV_FUZZ_VERBOSE").is_some())
}

// ---------------------------------------------------------------------------------------------
// Counters (printed by the replay example)

pub struct Stats {
    pub frames: AtomicU64,
    pub frames_refused: AtomicU64,
    pub updates: AtomicU64,
    pub updates_refused: AtomicU64,
    pub updates_accepted: AtomicU64,
    pub apply_panicked: AtomicU64,
    pub apply_refused: AtomicU64,
    pub apply_pending: AtomicU64,
    pub reloads: AtomicU64,
    pub caught_panics: AtomicU64,
    pub violations: [AtomicU64; 8],
}

pub static STATS: Stats = Stats {
    frames: AtomicU64::new(0),
    frames_refused: AtomicU64::new(0),
    updates: AtomicU64::new(0),
    updates_refused: AtomicU64::new(0),
    updates_accepted: AtomicU64::new(0),
    apply_panicked: AtomicU64::new(0),
    apply_refused: AtomicU64::new(0),
    apply_pending: AtomicU64::new(0),
    reloads: AtomicU64::new(0),
    caught_panics: AtomicU64::new(0),
    violations: [const { AtomicU64::new(0) }; 8],
};

impl Stats {
    pub fn report(&self) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut s = format!(
            "frames {} (refused by decode_frame {}), non-empty updates {}: refused by check_integrable {}, \
             accepted {}; apply failed after validation: panicked {}, refused {}, pending {}; reloads {}; \
             panics caught by LiveDoc's guard {}",
            g(&self.frames),
            g(&self.frames_refused),
            g(&self.updates),
            g(&self.updates_refused),
            g(&self.updates_accepted),
            g(&self.apply_panicked),
            g(&self.apply_refused),
            g(&self.apply_pending),
            g(&self.reloads),
            g(&self.caught_panics),
        );
        for c in Check::ALL {
            let n = g(&self.violations[c.index()]);
            if n > 0 {
                s.push_str(&format!("; [{}] {}", c.name(), n));
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Panics and the server's stack

thread_local! {
    /// The last panic's message and its (unresolved) backtrace: symbols are resolved only when
    /// the panic escapes, so panics that `LiveDoc` catches stay cheap.
    static LAST_PANIC: RefCell<Option<(String, std::backtrace::Backtrace)>> = const { RefCell::new(None) };
}

/// Replaces libfuzzer-sys' abort-on-any-panic hook: `LiveDoc` catches yrs' panics (the server's
/// contract allows them), so only panics that escape the harness may crash. The hook records the
/// message (and a backtrace when `RUST_BACKTRACE` is set) for the crash report.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        STATS.caught_panics.fetch_add(1, Ordering::Relaxed);
        let thread = std::thread::current();
        let msg = format!(
            "panic in thread '{}' at {}: {}",
            thread.name().unwrap_or("?"),
            info.location().map(|l| l.to_string()).unwrap_or_default(),
            payload_str(info.payload()),
        );
        if verbose() {
            eprintln!("{msg}");
        }
        let trace = std::backtrace::Backtrace::capture();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some((msg, trace)));
    }));
}

fn payload_str(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string payload)")
}

type Job = (Vec<u8>, fn(&[u8]));

struct Worker {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<Result<(), String>>,
}

/// The stack the server gives a room task (a tokio worker) and `LiveDoc::load` (a blocking
/// thread): tokio's default, 2 MiB. `SAMSKRIV_FUZZ_STACK_KB` overrides it.
pub fn server_stack_bytes() -> usize {
    std::env::var("SAMSKRIV_FUZZ_STACK_KB")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(2048)
        * 1024
}

/// Runs `f(data)` on a long-lived thread with the server's stack size, so that a recursion that
/// would overflow a tokio worker overflows here too (a stack overflow aborts, and libFuzzer
/// records the input). A panic that escapes `f` aborts the process after printing its message.
pub fn run_on_server_stack(data: &[u8], f: fn(&[u8])) {
    static WORKER: OnceLock<Mutex<Worker>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("room".into())
            .stack_size(server_stack_bytes())
            .spawn(move || {
                for (data, f) in job_rx {
                    let r = panic::catch_unwind(AssertUnwindSafe(|| f(&data))).map_err(|p| {
                        LAST_PANIC
                            .with(|l| l.borrow_mut().take())
                            .map(|(msg, trace)| format!("{msg}\n{trace}"))
                            .unwrap_or_else(|| payload_str(&*p).to_owned())
                    });
                    if done_tx.send(r).is_err() {
                        return;
                    }
                }
            })
            .expect("spawn the room thread");
        Mutex::new(Worker { jobs, done })
    });
    let w = worker.lock().unwrap_or_else(|e| e.into_inner());
    w.jobs.send((data.to_vec(), f)).expect("room thread gone");
    match w.done.recv() {
        Ok(Ok(())) => {}
        Ok(Err(msg)) => {
            eprintln!("\n==== samskriv fuzz: a panic escaped the server path ====\n{msg}");
            std::process::abort();
        }
        Err(_) => std::process::abort(),
    }
}

// ---------------------------------------------------------------------------------------------
// The server

/// Heavy checks (reload from a snapshot, sync from the previous state) run after each of the
/// first this-many accepted updates of an input, and once at its end, so that inputs of many
/// small updates do not spend quadratic time in the harness.
const HEAVY_CHECKS: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Empty update: the server ignores it.
    Ignored,
    /// `check_integrable` refused it: the sender is closed, the document untouched.
    Refused,
    Accepted,
    /// `apply` failed: the sender is closed and the document reloaded.
    Reloaded,
}

/// One live document as a room holds it, with the log of accepted updates (its storage).
pub struct Server {
    doc: LiveDoc,
    accepted: Vec<Vec<u8>>,
    awareness: Awareness,
    /// The state after the last accepted update, for the divergence checks.
    full: Vec<u8>,
    canonical: Result<Value, String>,
    heavy_left: usize,
    dirty: bool,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

fn doc_err(e: DocError) -> String {
    e.to_string()
}

impl Server {
    pub fn new() -> Self {
        let doc = LiveDoc::load(None, std::iter::empty()).expect("an empty document loads");
        let full = doc.encode_full().expect("an empty document encodes");
        let canonical = doc.canonical().map_err(doc_err);
        Self {
            doc,
            accepted: Vec::new(),
            awareness: Awareness::default(),
            full,
            canonical,
            heavy_left: HEAVY_CHECKS,
            dirty: false,
        }
    }

    pub fn doc(&self) -> &LiveDoc {
        &self.doc
    }

    pub fn accepted(&self) -> &[Vec<u8>] {
        &self.accepted
    }

    /// One binary WebSocket frame from connection `conn`, as the room handles it. Returns false
    /// when the server closes the connection (a malformed frame or a refused update).
    pub fn frame(&mut self, conn: u64, bytes: &[u8]) -> bool {
        STATS.frames.fetch_add(1, Ordering::Relaxed);
        let conn = ConnectionId(conn);
        let frame = Bytes::copy_from_slice(bytes);
        let messages = match decode_frame(&frame) {
            Ok(m) => m,
            Err(_) => {
                STATS.frames_refused.fetch_add(1, Ordering::Relaxed);
                self.leave(conn);
                return false;
            }
        };
        let mut open = true;
        for m in messages {
            match m {
                Message::SyncStep1(sv) => self.sync_step1(&sv),
                Message::Update { update, parsed } => match self.update(&update, &parsed) {
                    Outcome::Ignored | Outcome::Accepted => {}
                    // The room keeps handling this frame's messages (the peer leaves the room
                    // at the end of the batch).
                    Outcome::Refused => open = false,
                    // The room stops handling the frame and reloads.
                    Outcome::Reloaded => return false,
                },
                Message::Awareness(entries) => {
                    let changed = self.awareness.apply(Some(conn), entries);
                    if !changed.is_empty() {
                        awareness_round_trip(&changed);
                    }
                }
                Message::QueryAwareness => awareness_round_trip(&self.awareness.present()),
                Message::Auth => {}
            }
        }
        open
    }

    /// The connection closes: its presence is removed and the others are told.
    pub fn leave(&mut self, conn: ConnectionId) {
        let removed = self.awareness.remove_owned_by(conn);
        if !removed.is_empty() {
            awareness_round_trip(&removed);
        }
    }

    /// A joiner's or a reconnecting client's sync step 1: the reply is a sync step 2.
    fn sync_step1(&mut self, sv: &[(u64, u32)]) {
        match self.doc.encode_diff(sv) {
            Ok(diff) => {
                if let Err(e) = ParsedUpdate::parse(&diff) {
                    violated!(Check::SelfDecode, "sync step 2 for {sv:?} fails the validator: {e}");
                }
            }
            Err(e) => violated!(Check::Encode, "encode_diff({sv:?}): {e}"),
        }
    }

    /// An update message, as `Room::handle_update` treats it.
    pub fn update(&mut self, update: &[u8], parsed: &ParsedUpdate) -> Outcome {
        if parsed.is_empty() {
            return Outcome::Ignored;
        }
        STATS.updates.fetch_add(1, Ordering::Relaxed);
        if parsed.check_integrable(|c| self.doc.clock(c)).is_err() {
            STATS.updates_refused.fetch_add(1, Ordering::Relaxed);
            return Outcome::Refused;
        }
        let sv_before = self.state_vector();
        match self.doc.apply(update, parsed.clock_ends()) {
            Ok(()) => {
                STATS.updates_accepted.fetch_add(1, Ordering::Relaxed);
                self.accepted.push(update.to_vec());
                self.after_accept(parsed, &sv_before);
                Outcome::Accepted
            }
            Err(e) => {
                match e {
                    DocError::Panicked => &STATS.apply_panicked,
                    DocError::Refused(_) => &STATS.apply_refused,
                    DocError::Pending => &STATS.apply_pending,
                }
                .fetch_add(1, Ordering::Relaxed);
                violated!(Check::ApplyErr, "check_integrable accepted an update apply refused: {e}");
                self.reload();
                Outcome::Reloaded
            }
        }
    }

    /// The state vector as the server sends it (sync step 1), read with the server's decoder.
    fn state_vector(&self) -> Vec<(u64, u32)> {
        let bytes = match self.doc.encode_state_vector() {
            Ok(b) => b,
            Err(e) => {
                violated!(Check::Encode, "encode_state_vector: {e}");
                return Vec::new();
            }
        };
        match decode_state_vector(&bytes) {
            Ok(mut sv) => {
                sv.sort_unstable();
                sv
            }
            Err(e) => {
                violated!(Check::SelfDecode, "the state vector fails decode_state_vector: {e}");
                Vec::new()
            }
        }
    }

    fn after_accept(&mut self, parsed: &ParsedUpdate, sv_before: &[(u64, u32)]) {
        self.dirty = true;
        // The clocks the validator will use next must be yrs' own.
        let sv = self.state_vector();
        for &(client, clock) in &sv {
            if self.doc.clock(client) != clock {
                violated!(
                    Check::Clocks,
                    "client {client}: LiveDoc::clock {} but yrs' state vector {clock}",
                    self.doc.clock(client)
                );
            }
        }
        for (client, end) in parsed.clock_ends() {
            let yrs = sv.iter().find(|(c, _)| *c == client).map_or(0, |(_, k)| *k);
            if yrs < end {
                violated!(Check::Clocks, "client {client}: update reaches {end}, yrs only {yrs}");
            }
        }
        if self.heavy_left > 0 {
            self.heavy_left -= 1;
            self.heavy_checks(Some(sv_before));
        }
    }

    /// Everything the server later does with the document: snapshot it (compaction), read its
    /// content (the HTTP API), answer a client that has the previous state (sync step 2).
    fn heavy_checks(&mut self, sv_before: Option<&[(u64, u32)]>) {
        self.dirty = false;
        let full = match self.doc.encode_full() {
            Ok(f) => f,
            Err(e) => return violated!(Check::Encode, "encode_full: {e}"),
        };
        match ParsedUpdate::parse(&full) {
            Ok(p) => {
                if p.check_integrable(|_| 0).is_err() {
                    violated!(Check::SelfDecode, "the snapshot does not integrate into an empty document");
                }
            }
            Err(e) => violated!(Check::SelfDecode, "the snapshot fails the validator: {e}"),
        }
        let canonical = self.canonical_checked(&self.doc, "the live document");
        match LiveDoc::load(Some(&full), std::iter::empty()) {
            Ok(reloaded) => {
                let again = self.canonical_checked(&reloaded, "the reloaded snapshot");
                if again != canonical {
                    violated!(
                        Check::Diverge,
                        "snapshot reload differs:\n live:     {canonical:?}\n reloaded: {again:?}"
                    );
                }
            }
            Err(e) => violated!(Check::Encode, "the snapshot does not load: {e}"),
        }
        if let Some(sv_before) = sv_before {
            match self.doc.encode_diff(sv_before) {
                Ok(diff) => {
                    match ParsedUpdate::parse(&diff) {
                        Ok(p) => {
                            let known = |c: u64| {
                                sv_before.iter().find(|(k, _)| *k == c).map_or(0, |(_, k)| *k)
                            };
                            if p.check_integrable(known).is_err() {
                                violated!(
                                    Check::SelfDecode,
                                    "the sync step 2 for the previous state does not integrate into it"
                                );
                            }
                        }
                        Err(e) => violated!(Check::SelfDecode, "the sync step 2 fails the validator: {e}"),
                    }
                    match LiveDoc::load(Some(&self.full), std::iter::once(&diff[..])) {
                        Ok(peer) => {
                            let synced = self.canonical_checked(&peer, "a synced peer");
                            if synced != canonical {
                                violated!(
                                    Check::Diverge,
                                    "a peer synced from the previous state differs:\n live: {canonical:?}\n peer: {synced:?}"
                                );
                            }
                        }
                        Err(e) => violated!(Check::Encode, "previous snapshot + sync step 2 does not load: {e}"),
                    }
                }
                Err(e) => violated!(Check::Encode, "encode_diff(previous state vector): {e}"),
            }
        }
        self.full = full;
        self.canonical = canonical;
    }

    fn canonical_checked(&self, doc: &LiveDoc, which: &str) -> Result<Value, String> {
        let c = doc.canonical();
        match &c {
            Ok(_) => {}
            Err(DocError::Refused(e)) => violated!(Check::Content, "canonical() of {which}: {e}"),
            Err(e) => violated!(Check::Encode, "canonical() of {which}: {e}"),
        }
        c.map_err(doc_err)
    }

    /// The room's reload: a new document from storage (the accepted updates).
    fn reload(&mut self) {
        STATS.reloads.fetch_add(1, Ordering::Relaxed);
        if self.dirty {
            // Bring the reference state up to date before comparing.
            self.heavy_checks(None);
        }
        match LiveDoc::load(None, self.accepted.iter().map(Vec::as_slice)) {
            Ok(doc) => self.doc = doc,
            Err(e) => {
                // The server could not serve this document again: always a crash.
                panic!("reloading the {} accepted updates failed: {e}", self.accepted.len());
            }
        }
        let canonical = self.canonical_checked(&self.doc, "the reloaded log");
        if canonical != self.canonical {
            violated!(
                Check::Diverge,
                "the document reloaded from the log differs:\n before: {:?}\n after:  {canonical:?}",
                self.canonical
            );
        }
    }

    /// At the end of an input: the checks skipped for long inputs, once.
    pub fn finish(&mut self) {
        if self.dirty {
            self.heavy_checks(None);
        }
    }

    /// Re-sends every accepted update (a reconnecting client does): each must be accepted again
    /// and change nothing.
    pub fn reapply_all(&mut self) {
        let before = self.canonical_checked(&self.doc, "the live document");
        let updates = self.accepted.clone();
        for u in &updates {
            let parsed = ParsedUpdate::parse(u).expect("an accepted update parses again");
            if parsed.check_integrable(|c| self.doc.clock(c)).is_err() {
                violated!(Check::Reapply, "an accepted update is refused when re-sent");
                continue;
            }
            if let Err(e) = self.doc.apply(u, parsed.clock_ends()) {
                violated!(Check::Reapply, "re-applying an accepted update failed: {e}");
                self.reload();
                return;
            }
        }
        let after = self.canonical_checked(&self.doc, "the live document after re-sends");
        if after != before {
            violated!(Check::Reapply, "re-sent updates changed the document:\n before: {before:?}\n after:  {after:?}");
        }
    }
}

/// What the server sends must be what it (and lib0 in a browser) can read back.
fn awareness_round_trip(entries: &[AwarenessEntry]) {
    let frame = encode_awareness(entries);
    match decode_frame(&frame) {
        Ok(msgs) => match msgs.as_slice() {
            [Message::Awareness(back)] if back.as_slice() == entries => {}
            other => violated!(Check::Awareness, "awareness {entries:?} reads back as {other:?}"),
        },
        Err(e) => violated!(Check::Awareness, "awareness message {entries:?} fails decode_frame: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Input formats

/// The `frame` target's input: a sequence of `[control: u8][length: u16 LE][frame bytes]`. The low
/// two bits of `control` pick the connection (0–3); bit 7 closes it after the frame. A length past
/// the end of the input takes what is left. Fewer than three bytes left end the input.
pub fn split_frames(mut data: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    std::iter::from_fn(move || {
        if data.len() < 3 {
            return None;
        }
        let control = data[0];
        let len = (u16::from_le_bytes([data[1], data[2]]) as usize).min(data.len() - 3);
        let frame = &data[3..3 + len];
        data = &data[3 + len..];
        Some((control, frame))
    })
}

/// Builds a `frame` target input from (control, frame) pairs.
pub fn join_frames<'a>(frames: impl IntoIterator<Item = (u8, &'a [u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (control, frame) in frames {
        let len = u16::try_from(frame.len()).expect("a frame of at most 65535 bytes");
        out.push(control);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(frame);
    }
    out
}

/// The `frame` target.
pub fn run_frames(data: &[u8]) {
    let mut server = Server::new();
    for (control, frame) in split_frames(data) {
        let conn = u64::from(control & 3);
        let open = server.frame(conn, frame);
        if !open || control & 0x80 != 0 {
            server.leave(ConnectionId(conn));
        }
    }
    server.finish();
}

/// The `update` target: the bytes are one update payload.
pub fn run_update(data: &[u8]) {
    let Ok(parsed) = ParsedUpdate::parse(data) else {
        return;
    };
    let mut server = Server::new();
    if server.update(data, &parsed) == Outcome::Accepted {
        server.reapply_all();
    }
    server.finish();
}
