//! The TLS side of an outbox: encrypting queued frames just before they are sent, and
//! decrypting what the session's thread read, both under the outbox's own lock.

use std::io::{self, Read, Write};
use std::sync::Arc;

use rustls::{ServerConfig, ServerConnection};

use super::{Outbox, Queue, RETAINED_CAPACITY, State};

/// What the client's latest bytes amounted to.
#[derive(Debug)]
pub(crate) enum Decrypted {
    /// Read on; the plaintext, if any, was appended.
    Open,
    /// The client closed its TLS session (`close_notify`); the plaintext before it, if
    /// any, was appended.
    Closed,
    /// The bytes were not valid TLS (a broken ClientHello, a forged record); rustls has
    /// queued an alert, sent if the socket takes it.
    Broken(rustls::Error),
}

impl Outbox {
    /// Makes this connection a TLS one, before anything was sent to it: from now on
    /// frames are encrypted, and the session's reads go through [`Outbox::decrypt`].
    pub(crate) fn start_tls(&self, config: &Arc<ServerConfig>) -> Result<(), rustls::Error> {
        let connection = ServerConnection::new(Arc::clone(config))?;
        self.lock().tls = Some(Box::new(connection));
        Ok(())
    }

    /// Hands `ciphertext`, read from the socket by the session's thread, to the TLS
    /// session and appends the plaintext it yields to `plaintext`. What the TLS session
    /// answers (its handshake, an alert, the frames queued before the handshake ended)
    /// is sent like any frame. A cleartext connection's bytes are its plaintext.
    pub(crate) fn decrypt(
        self: &Arc<Self>,
        ciphertext: &[u8],
        plaintext: &mut Vec<u8>,
    ) -> Decrypted {
        let mut queue = self.lock();
        let Some(tls) = queue.tls.as_mut() else {
            plaintext.extend_from_slice(ciphertext);
            return Decrypted::Open;
        };
        let decrypted = feed(tls, ciphertext, plaintext);
        if queue.state == State::Open && !queue.awaiting_writable {
            self.send_queued(&mut queue);
        }
        decrypted
    }

    /// Queues the TLS `close_notify` after everything else and sends it, so that the
    /// client can tell the end of the session from a cut connection. Nothing for a
    /// cleartext connection.
    pub(crate) fn end_tls(self: &Arc<Self>) {
        let mut queue = self.lock();
        if queue.state != State::Open {
            return;
        }
        if let Some(tls) = queue.tls.as_mut() {
            tls.send_close_notify();
        }
        drop(queue);
        self.send_now();
    }
}

/// Feeds `ciphertext` to `tls` one buffer at a time, taking the plaintext out after
/// each, so that rustls never holds more than a buffer of either.
fn feed(tls: &mut ServerConnection, mut ciphertext: &[u8], plaintext: &mut Vec<u8>) -> Decrypted {
    while !ciphertext.is_empty() {
        if let Err(e) = tls.read_tls(&mut ciphertext) {
            return Decrypted::Broken(rustls::Error::General(e.to_string()));
        }
        if let Err(e) = tls.process_new_packets() {
            return Decrypted::Broken(e);
        }
        match tls.reader().read_to_end(plaintext) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Ok(_) | Err(_) => return Decrypted::Closed,
        }
    }
    Decrypted::Open
}

impl Queue {
    /// Encrypts the frames waiting as plaintext into `bytes`, with whatever else the TLS
    /// session has to send (handshake messages, alerts). Before the handshake ends,
    /// rustls keeps the plaintext (up to its own buffer limit) and encrypts it as soon
    /// as it can.
    pub(super) fn seal(&mut self) {
        if self.tls.is_none() {
            return;
        }
        self.compact();
        let Some(tls) = self.tls.as_mut() else {
            return;
        };
        loop {
            let taken = if self.plaintext.is_empty() {
                0
            } else {
                tls.writer().write(&self.plaintext).unwrap_or(0)
            };
            self.plaintext.drain(..taken);
            while tls.wants_write() {
                if tls.write_tls(&mut self.bytes).is_err() {
                    return;
                }
            }
            if taken == 0 || self.plaintext.is_empty() {
                break;
            }
        }
        if self.plaintext.is_empty() && self.plaintext.capacity() > RETAINED_CAPACITY {
            self.plaintext.shrink_to(RETAINED_CAPACITY);
        }
    }
}
