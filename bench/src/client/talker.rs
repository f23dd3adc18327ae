//! The writing side of one simulated client.

use std::borrow::Cow;
use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::tls::TlsLink;

/// The writing side of one client, shared by its reader thread (barrier pings, answers
/// to keepalive pings) and, for a sender, its sender thread. Each frame is written whole
/// under the lock, so that frames from the two never interleave.
#[derive(Debug, Clone)]
pub struct Talker {
    stream: Arc<TcpStream>,
    lock: Arc<Mutex<()>>,
    /// The TLS session of a client that speaks TLS.
    tls: Option<Arc<TlsLink>>,
}

impl Talker {
    /// The writing side of a client connected over `stream` (and `tls` if it speaks TLS).
    pub(super) fn new(stream: TcpStream, tls: Option<TlsLink>) -> Self {
        Self {
            stream: Arc::new(stream),
            lock: Arc::new(Mutex::new(())),
            tls: tls.map(Arc::new),
        }
    }

    /// The socket (non-blocking once the client is in a fleet).
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// Held while writing one frame.
    pub fn lock(&self) -> MutexGuard<'_, ()> {
        self.lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The bytes that put `frame` on the wire: itself, or its TLS records. Call it
    /// holding [`Talker::lock`] until they are written, so that records keep their order.
    pub fn wire<'a>(&self, frame: &'a [u8]) -> io::Result<Cow<'a, [u8]>> {
        match &self.tls {
            None => Ok(Cow::Borrowed(frame)),
            Some(link) => link.seal(frame).map(Cow::Owned),
        }
    }

    /// The TLS session, for the reader thread to decrypt what it reads.
    pub fn tls(&self) -> Option<&TlsLink> {
        self.tls.as_deref()
    }

    /// Writes a small frame from a reader thread. The socket is non-blocking; if it is
    /// full (a sender filled it), this yields until the server has read some, which it
    /// always does.
    pub fn send_small(&self, frame: &[u8]) -> io::Result<()> {
        let _whole = self.lock();
        let wire = self.wire(frame)?;
        let mut frame = wire.as_ref();
        while !frame.is_empty() {
            match (&*self.stream).write(frame) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(written) => frame = &frame[written..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::yield_now(),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}
