//! Telling a TLS client from a cleartext one by the first byte it sends, without
//! consuming it.

use std::io;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The first byte of every TLS record that carries a handshake message, and so of every
/// ClientHello. No line of the chat's protocols starts with it: it is a control
/// character, which plain mode would refuse anyway.
const TLS_HANDSHAKE_RECORD: u8 = 0x16;

/// What a new connection's first byte says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstByte {
    /// A TLS handshake record: the client speaks TLS.
    Tls,
    /// Another byte: a cleartext client that has already typed something.
    Cleartext,
    /// Nothing within the wait: a cleartext client waiting to be greeted (`nc`), or a
    /// connection that closed or broke (its session notices at its first read).
    Silent,
}

/// Looks at the first byte `stream` receives, waiting up to `wait` for it, and leaves
/// it in the socket for whoever reads next. A zero `wait` does not wait: what has
/// already arrived decides.
pub(crate) fn first_byte(stream: &TcpStream, wait: Duration) -> FirstByte {
    let mut byte = [0u8; 1];
    let peeked = if wait.is_zero() {
        peek_now(stream, &mut byte)
    } else {
        peek_within(stream, &mut byte, wait)
    };
    match peeked {
        Some(()) if byte[0] == TLS_HANDSHAKE_RECORD => FirstByte::Tls,
        Some(()) => FirstByte::Cleartext,
        None => FirstByte::Silent,
    }
}

/// Peeks without blocking; `None` if no byte is there (or the connection is gone).
fn peek_now(stream: &TcpStream, byte: &mut [u8; 1]) -> Option<()> {
    stream.set_nonblocking(true).ok()?;
    let peeked = stream.peek(byte);
    let _ = stream.set_nonblocking(false);
    matches!(peeked, Ok(1)).then_some(())
}

/// Peeks with `wait` as the read timeout (restarting after a signal with what is left
/// of it); `None` if no byte came (or the connection is gone).
fn peek_within(stream: &TcpStream, byte: &mut [u8; 1], wait: Duration) -> Option<()> {
    let deadline = Instant::now() + wait;
    let peeked = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break None;
        }
        match stream.peek(byte) {
            Ok(read) => break Some(read),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break None,
        }
    };
    let _ = stream.set_read_timeout(None);
    matches!(peeked, Some(1)).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::{Ipv4Addr, TcpListener};

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn a_handshake_record_is_tls_and_stays_to_be_read() {
        let (mut client, server) = pair();
        client.write_all(&[0x16, 0x03, 0x01]).unwrap();
        assert_eq!(first_byte(&server, Duration::from_secs(30)), FirstByte::Tls);
        let mut again = [0u8; 3];
        assert_eq!(server.peek(&mut again).unwrap(), 3);
        assert_eq!(again, [0x16, 0x03, 0x01]);
    }

    #[test]
    fn any_other_byte_is_cleartext() {
        let (mut client, server) = pair();
        client.write_all(b"alice\n").unwrap();
        assert_eq!(
            first_byte(&server, Duration::from_secs(30)),
            FirstByte::Cleartext
        );
    }

    #[test]
    fn silence_is_cleartext_waiting_for_a_greeting() {
        let (_client, server) = pair();
        assert_eq!(first_byte(&server, Duration::ZERO), FirstByte::Silent);
        assert_eq!(
            first_byte(&server, Duration::from_millis(20)),
            FirstByte::Silent
        );
    }
}
