//! A stream that keeps a copy of the first bytes the server sent, so that a TLS
//! handshake that fails on them can say what they were: chat-server refuses a connection
//! it will not serve (full, banned, too many from one address) with a cleartext
//! `ERROR code: reason` line before it knows whether the client speaks TLS.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How many of the first bytes are kept: a refusal line is far shorter.
const KEPT: usize = 512;

/// `inner`, with a copy of the first [`KEPT`] bytes read from it.
#[derive(Debug)]
pub(super) struct FirstBytes<S> {
    inner: S,
    seen: Vec<u8>,
}

impl<S> FirstBytes<S> {
    /// Wraps `inner`, nothing seen yet.
    pub(super) fn new(inner: S) -> Self {
        Self {
            inner,
            seen: Vec::new(),
        }
    }

    /// The first bytes read, up to [`KEPT`].
    pub(super) fn seen(&self) -> &[u8] {
        &self.seen
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FirstBytes<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if this.seen.len() < KEPT {
            let fresh = &buf.filled()[before..];
            let room = KEPT - this.seen.len();
            this.seen.extend_from_slice(&fresh[..fresh.len().min(room)]);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FirstBytes<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn keeps_the_first_bytes_only_and_passes_everything_on() {
        let sent: Vec<u8> = (0..2000u32).map(|n| (n % 251) as u8).collect();
        let mut stream = FirstBytes::new(&sent[..]);
        let mut read = Vec::new();
        stream.read_to_end(&mut read).await.unwrap();
        assert_eq!(read, sent);
        assert_eq!(stream.seen(), &sent[..KEPT]);
    }
}
