//! A member who never reads, and a flood it cannot keep up with: the check, shared by
//! the cleartext and the TLS suites, that such a member is dropped when its bounded send
//! queue overflows while everyone else receives everything, in order.

use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread;

use socket2::{Domain, Socket, Type};

use super::Plain;

/// A socket connected to `addr` with a tiny receive buffer, so that the server's queue
/// for it fills fast once it stops reading.
pub fn tiny_window(addr: SocketAddr) -> TcpStream {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&addr.into()).unwrap();
    socket.into()
}

/// How many lines `sender` may be ahead of `reader`: 32 KB, well within the send queue
/// the tests give every member, so that `reader` is never the one dropped, however
/// slowly this machine runs it.
const WINDOW: usize = 32;

/// `sender` says 1,500 lines of 1 KB while `reader` reads them, with a member called
/// `stuck` in the room who reads nothing: `reader` gets every line in order, and both
/// see `stuck` dropped for its send queue, once. The sender never runs more than
/// [`WINDOW`] lines ahead of the reader, so only `stuck` falls behind.
pub fn outpace_the_stuck_member(sender: Plain, mut reader: Plain) {
    let text = "m".repeat(1000);
    let total = 1500;
    let (credit, credits) = mpsc::sync_channel(total);
    for _ in 0..WINDOW {
        credit.send(()).unwrap();
    }
    let writer = thread::spawn(move || {
        let mut sender = sender;
        for n in 0..total {
            credits.recv().unwrap();
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
        let _ = credit.send(());
    }
    let mut sender = writer.join().unwrap();
    if !dropped {
        reader.expect("-!- stuck left (send queue exceeded)");
    }
    sender.expect("-!- stuck left (send queue exceeded)");
}
