//! A client that never reads cannot hold anyone else up: it is dropped when its bounded
//! send queue overflows, and the others are told.

use std::net::SocketAddr;

use socket2::{Domain, Socket, Type};

use crate::support::{Conn, Plain, start_server};

/// A connection with a tiny receive buffer, so the server's queue for it fills fast.
fn tiny_window(addr: SocketAddr) -> Conn {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&addr.into()).unwrap();
    Conn::from_stream(socket.into())
}

#[test]
fn a_client_that_never_reads_is_dropped_and_the_others_receive_everything() {
    let server = start_server(|c| {
        c.flood_rate = 0.0;
        c.send_queue_bytes = 128 * 1024;
    });
    let addr = server.local_addr();
    let mut stuck = tiny_window(addr);
    stuck.expect_line(|l| l.starts_with("* Choose"));
    stuck.send_line("stuck");
    stuck.expect_line(|l| l.starts_with("* Type a message"));
    // From here on, `stuck` never reads again.

    // The sender speaks plain mode, so that it has no echo of its own messages to read
    // while it writes (the server's kernel buffers are bounded too).
    let mut sender = Plain::join(addr, "sender");
    let mut reader = Plain::join(addr, "reader");
    let text = "m".repeat(1000);
    let total = 1500;
    let writer = std::thread::spawn(move || {
        for n in 0..total {
            sender.say(&format!("{n} {text}"));
        }
        sender
    });
    let mut dropped = false;
    for n in 0..total {
        let line = reader
            .0
            .expect_line(|l| l.contains("<sender>") || l.contains("stuck left"));
        if line.contains("stuck left") {
            assert!(
                line.ends_with("-!- stuck left (send queue exceeded)"),
                "{line}"
            );
            assert!(!dropped, "announced twice");
            dropped = true;
            let line = reader.expect("<sender>");
            assert!(line.contains(&format!("<sender> {n} ")), "{line}");
        } else {
            assert!(line.contains(&format!("<sender> {n} ")), "{line}");
        }
    }
    let mut sender = writer.join().unwrap();
    if !dropped {
        reader.expect("-!- stuck left (send queue exceeded)");
    }
    sender.expect("-!- stuck left (send queue exceeded)");
    drop(stuck);
}
