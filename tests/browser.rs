//! The browser app end to end: the real `samskriv` binary with its demo data and the built app
//! (web/dist), driven by Debian's headless Chromium through playwright-core (tests/e2e). Each
//! test file gets a server of its own, so that their demo data do not meet.
//!
//! Needs what scripts/test.sh installs: /usr/bin/chromium, tests/e2e/node_modules, web/dist.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use common::TestServer;

/// One browser at a time: the machine has two cores, and the server and Chromium share them.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn check_prerequisites() -> PathBuf {
    let dist = root().join("web/dist");
    assert!(
        dist.join("index.html").exists(),
        "web/dist is missing: build the app (cd web && npm ci && npm run build), as scripts/test.sh does"
    );
    assert!(
        root()
            .join("tests/e2e/node_modules/playwright-core")
            .exists(),
        "tests/e2e/node_modules is missing: run npm ci in tests/e2e, as scripts/test.sh does"
    );
    assert!(
        Path::new(&chromium()).exists(),
        "{} is missing: install Debian's chromium (apt-get install chromium), as scripts/test.sh does as root",
        chromium()
    );
    dist
}

/// Runs one file of tests/e2e with node's test runner against a fresh demo server.
fn run_e2e(file: &str) {
    run_e2e_with(file, &[], &[]);
}

/// As `run_e2e`, with extra server flags and environment for the test file.
fn run_e2e_with(file: &str, flags: &[&str], env: &[(&str, &str)]) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dist = check_prerequisites();
    let mut args = vec!["--demo", "--web-dir", dist.to_str().unwrap()];
    args.extend_from_slice(flags);
    let server = TestServer::start_with(&args);
    let base = server.http_url("");
    let out = Command::new("node")
        .current_dir(root().join("tests/e2e"))
        .args([
            "--test",
            "--test-reporter=spec",
            "--test-concurrency=1",
            file,
        ])
        .env("SAMSKRIV_URL", &base)
        .env("CHROMIUM", chromium())
        .envs(env.iter().copied())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Shown on success too (with --nocapture), so a run says which browser tests it ran.
    println!("--- {file} against {base} ---\n{stdout}");
    assert!(
        out.status.success(),
        "browser tests in tests/e2e/{file} failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        out.status
    );
    let count = |what: &str| -> Option<u64> {
        stdout.lines().find_map(|l| {
            l.trim()
                .strip_prefix(&format!("ℹ {what} "))?
                .trim()
                .parse()
                .ok()
        })
    };
    assert!(
        count("pass").is_some_and(|n| n > 0)
            && count("fail") == Some(0)
            && count("skipped") == Some(0)
            && count("todo") == Some(0)
            && count("cancelled") == Some(0),
        "node's test runner ran no test, or skipped or failed some:\n{stdout}"
    );
}

#[test]
fn hearing_round_in_the_browser() {
    run_e2e("hearing_round.test.mjs");
}

/// The HMU chairs consolidate the demo's nine LMU responses (tests/e2e/consolidation.test.mjs):
/// passages taken with their provenance, the report, tracked changes, two chairs live, axe.
#[test]
fn consolidation_in_the_browser() {
    run_e2e("consolidation.test.mjs");
}

#[test]
fn accessibility_and_keyboard() {
    run_e2e("accessibility.test.mjs");
}

#[test]
fn a_document_too_large_closes_the_editor() {
    run_e2e_with(
        "limits.test.mjs",
        &["--max-document-bytes", "65536"],
        &[("SAMSKRIV_MAX_DOCUMENT_BYTES", "65536")],
    );
}

/// The whole round (tests/e2e/full_round.test.mjs): from the prepared hearing's opening through
/// the LMUs' responses, the HMU's review, the chairs' approval (voided by an edit, given again)
/// and freezing, to the record filed with a meeting's minutes; axe-core on every page of it.
#[test]
fn the_whole_round_in_the_browser() {
    run_e2e("full_round.test.mjs");
}

/// Pages kept live by the hearing's events (tests/e2e/live.test.mjs): the other chair's
/// workspace, a member's review page (another member's position, a comment and its resolution,
/// the text moving on) without a reload; the hearing page's links from `Hearing.can`; the frozen
/// record filed from the meeting's page.
#[test]
fn pages_follow_the_hearing_live() {
    run_e2e("live.test.mjs");
}

/// The secretariat's "Udvalg og medlemmer" (tests/e2e/members.test.mjs): a new person made a
/// member of an LMU by keyboard, who then logs in and sees the LMU's open hearing; roles
/// changed, a member removed, the server's errors shown; axe-core.
#[test]
fn the_secretariat_manages_committees_and_members() {
    run_e2e("members.test.mjs");
}
