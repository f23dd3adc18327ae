//! A client that never reads cannot hold anyone else up: it is dropped when its bounded
//! send queue overflows, and the others are told.

use crate::support::stuck_reader::{outpace_the_stuck_member, tiny_window};
use crate::support::{Conn, Plain, start_server};

#[test]
fn a_client_that_never_reads_is_dropped_and_the_others_receive_everything() {
    let server = start_server(|c| {
        c.flood_rate = 0.0;
        c.send_queue_bytes = 128 * 1024;
    });
    let addr = server.local_addr();
    let mut stuck = Conn::from_stream(tiny_window(addr));
    stuck.expect_line(|l| l.starts_with("* Choose"));
    stuck.send_line("stuck");
    stuck.expect_line(|l| l.starts_with("* Type a message"));
    // From here on, `stuck` never reads again.

    // The sender speaks plain mode, so that it has no echo of its own messages to read
    // while it writes (the server's kernel buffers are bounded too).
    outpace_the_stuck_member(Plain::join(addr, "sender"), Plain::join(addr, "reader"));
    drop(stuck);
}
