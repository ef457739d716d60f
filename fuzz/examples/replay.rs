//! Runs inputs through a target's harness without libFuzzer and prints what the server path did
//! with them (how many updates were accepted, refused, reloaded, which checks fired).
//!
//!     cd fuzz && cargo run --example replay -- frame corpus/frame seeds/frame
//!     SAMSKRIV_FUZZ_VERBOSE=1 RUST_BACKTRACE=1 cargo run --example replay -- update crash-file
//!
//! Runs on a thread with the server's stack (2 MiB; `SAMSKRIV_FUZZ_STACK_KB`). A contract
//! violation aborts with its message, as in the fuzz target.

use std::path::{Path, PathBuf};

fn files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else {
        out.push(p.to_owned());
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().expect("usage: replay frame|update FILE_OR_DIR...");
    let f: fn(&[u8]) = match target.as_str() {
        "frame" => samskriv_fuzz::run_frames,
        "update" => samskriv_fuzz::run_update,
        other => panic!("unknown target {other}"),
    };
    samskriv_fuzz::install_panic_hook();
    let mut inputs = Vec::new();
    for a in args {
        files(Path::new(&a), &mut inputs);
    }
    let start = std::time::Instant::now();
    for p in &inputs {
        let data = std::fs::read(p).unwrap();
        if std::env::var_os("SAMSKRIV_FUZZ_VERBOSE").is_some() {
            eprintln!("== {} ({} bytes)", p.display(), data.len());
        }
        samskriv_fuzz::run_on_server_stack(&data, f);
    }
    println!(
        "{} inputs in {:.2?}\n{}",
        inputs.len(),
        start.elapsed(),
        samskriv_fuzz::STATS.report()
    );
}
