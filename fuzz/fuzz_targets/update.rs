//! The input is one Yjs v1 update payload, applied to an empty live document.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: samskriv_fuzz::install_panic_hook(), |data: &[u8]| {
    samskriv_fuzz::run_on_server_stack(data, samskriv_fuzz::run_update);
});
