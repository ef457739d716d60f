//! examples/hearing_round.rs runs the seed scenario end to end against a real demo server.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Api, TestServer};

/// The example's binary, built if `cargo test` did not build examples.
fn example() -> PathBuf {
    // target/<profile>/deps/<this test> → target/<profile>/examples/hearing_round
    let exe = std::env::current_exe().expect("test binary");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let path = dir.join("examples").join("hearing_round");
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "hearing_round"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build --example");
        assert!(status.success());
    }
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_runs_the_seed_hearing_to_its_filed_minutes() {
    let server = TestServer::start_with(&["--demo"]);
    let base = server.http_url("");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(example())
            .arg(base.trim_end_matches('/'))
            .output()
            .expect("run the example")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "1. Høringen er sendt ud til 9 LMU'er",
        "LMU Holmstrupgård:",
        "Alle har svaret; høringen er nu «consolidating»",
        "SBU: ",
        "(kontrol: ok)",
        "Arkiveret som bilag til punkt 2 i referatet af 25. september 2023, med de 9 LMU-svar",
        "/poster/",
    ] {
        assert!(stdout.contains(line), "{line:?} missing from:\n{stdout}");
    }
    // What it printed is there: the meeting's item 2 holds the record and the nine responses.
    let member = Api::demo(server.port, "dok.formand@demo.samskriv.dk").await;
    let (status, meeting) = member.get("/api/meetings/1").await;
    assert_eq!(status, 200, "{meeting}");
    let item = &meeting["items"][1];
    assert_eq!(item["number"], 2);
    assert!(
        item["decision"]
            .as_str()
            .unwrap()
            .contains("bred opbakning")
    );
    let record = &item["attachments"][0];
    assert_eq!(record["kind"], "record");
    assert_eq!(record["children"].as_array().unwrap().len(), 9);
    let (_, check) = member
        .get(&format!("/api/records/{}/verify", record["record_id"]))
        .await;
    assert_eq!(check["ok"], true);
}
