//! Bytes on their way to the socket.
//!
//! The connection writes from here whenever the socket takes bytes, in the same
//! `select!` that reads: a write that cannot go on waits there without holding up the
//! reading. Nothing limits the buffer here; the app paces what it sends, so it holds a
//! few frames at most.

/// Encoded frames not yet taken by the socket, oldest first.
#[derive(Debug, Default)]
pub(super) struct Outgoing {
    /// The bytes; those before `written` are gone already.
    bytes: Vec<u8>,
    /// How many of `bytes` the socket took.
    written: usize,
}

impl Outgoing {
    /// Adds an encoded frame after the others.
    pub(super) fn push(&mut self, frame: &[u8]) {
        if self.written > 0 && self.written * 2 >= self.bytes.len() {
            self.bytes.drain(..self.written);
            self.written = 0;
        }
        self.bytes.extend_from_slice(frame);
    }

    /// What is left to write.
    pub(super) fn pending(&self) -> &[u8] {
        &self.bytes[self.written..]
    }

    /// Whether everything was written.
    pub(super) fn is_empty(&self) -> bool {
        self.pending().is_empty()
    }

    /// The socket took `count` more bytes.
    pub(super) fn written(&mut self, count: usize) {
        self.written += count;
        if self.written == self.bytes.len() {
            self.bytes.clear();
            self.written = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_across_partial_writes_and_new_frames() {
        let mut outgoing = Outgoing::default();
        outgoing.push(b"one\n");
        outgoing.push(b"two\n");
        outgoing.written(6);
        assert_eq!(outgoing.pending(), b"o\n");
        outgoing.push(b"three\n");
        assert_eq!(outgoing.pending(), b"o\nthree\n");
        outgoing.written(8);
        assert!(outgoing.is_empty());
        outgoing.push(b"four\n");
        assert_eq!(outgoing.pending(), b"four\n");
    }
}
