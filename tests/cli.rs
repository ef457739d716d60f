//! The `samskriv` command line: `token`, `migrate`, and bad input.

mod common;

use std::process::Command;

use samskriv::auth::{Access, TokenKey, now_secs};

fn samskriv(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samskriv"))
        .args(args)
        .env_remove("SAMSKRIV_TOKEN_SECRET")
        .output()
        .expect("run samskriv")
}

#[test]
fn token_prints_a_verifiable_token_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = samskriv(&[
        "token",
        "--data-dir",
        data,
        "--document",
        "hoering-1-SBU",
        "--user",
        "Åse Nørgaard",
        "--read-only",
        "--ttl",
        "2h",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "the token alone: {stdout:?}");
    // Signed with the key the server will use: the one created in the data directory.
    let key = TokenKey::load_or_create(dir.path()).unwrap();
    let claims = key.verify(stdout.trim(), now_secs()).unwrap();
    assert_eq!(claims.doc, "hoering-1-SBU");
    assert_eq!(claims.user, "Åse Nørgaard");
    assert_eq!(claims.mode, Access::ReadOnly);
    let ttl = claims.exp - now_secs();
    assert!((7100..=7200).contains(&ttl), "ttl {ttl}");
    // Read-write by default.
    let out = samskriv(&[
        "token",
        "--data-dir",
        data,
        "--document",
        "d",
        "--user",
        "u",
    ]);
    let claims = key
        .verify(String::from_utf8(out.stdout).unwrap().trim(), now_secs())
        .unwrap();
    assert_eq!(claims.mode, Access::ReadWrite);
}

#[test]
fn bad_arguments_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for (args, expect) in [
        (
            vec![
                "token",
                "--data-dir",
                data,
                "--document",
                "../etc",
                "--user",
                "u",
            ],
            "invalid document id",
        ),
        (
            vec![
                "token",
                "--data-dir",
                data,
                "--document",
                "d",
                "--user",
                " ",
            ],
            "--user",
        ),
        (
            vec![
                "token",
                "--data-dir",
                data,
                "--document",
                "d",
                "--user",
                "u",
                "--ttl",
                "soon",
            ],
            "--ttl",
        ),
        (
            vec!["token", "--data-dir", data, "--user", "u"],
            "--document",
        ),
        (
            vec!["serve", "--data-dir", data, "--listen", "not-an-address"],
            "cannot listen",
        ),
        (
            vec![
                "serve",
                "--database-url",
                "mysql://x/y",
                "--listen",
                "127.0.0.1:0",
            ],
            "database",
        ),
        (vec!["frobnicate"], "unrecognized subcommand"),
    ] {
        let out = samskriv(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            stderr.contains(expect),
            "{args:?}: expected {expect:?} in {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?} printed {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn migrate_creates_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let out = samskriv(&["migrate", "--data-dir", data.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("samskriv.db").exists());
    // Running it again is harmless.
    let out = samskriv(&["migrate", "--data-dir", data.to_str().unwrap()]);
    assert!(out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_seeds_the_hearing_and_prints_how_to_log_in() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_samskriv"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port: u16 = first.rsplit(':').next().unwrap().parse().unwrap();
    let printed: Vec<String> = lines.by_ref().take(14).map(|l| l.unwrap()).collect();
    // Read on, so the server never writes to a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let text = printed.join("\n");
    assert!(
        text.contains("Visions- og Udviklingsplan for Socialområdet"),
        "{text}"
    );
    assert!(text.contains("password demo1234"), "{text}");
    assert!(text.contains("sekretariat@demo.samskriv.dk"), "{text}");
    assert!(text.contains("sbu.formand@demo.samskriv.dk"), "{text}");
    assert!(text.contains("LMU Holmstrupgård"), "{text}");
    // The printed login works, and the member sees SBU's draft under way.
    let member = common::Api::demo(port, "sbu.medlem1@demo.samskriv.dk").await;
    let (status, board) = member.get("/api/hearings/2/board").await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "{board}");
    let rows = board["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    let sbu = rows
        .iter()
        .find(|r| r["committee"]["short_name"] == "SBU")
        .unwrap();
    assert_eq!(sbu["status"], "in_progress");
    assert_eq!(sbu["can_open"], true);
    let sau = rows
        .iter()
        .find(|r| r["committee"]["short_name"] == "SAU")
        .unwrap();
    assert_eq!(sau["status"], "not_started");
    assert_eq!(sau["can_open"], false, "another LMU's draft is private");
}
