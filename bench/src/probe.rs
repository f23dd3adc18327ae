//! The measuring payload: what the generator writes into a message's text and how a
//! receiver reads it back.
//!
//! A probe carries its sender, a per-sender sequence number (to detect lost, duplicated
//! or reordered deliveries) and the send time in nanoseconds of this process's monotonic
//! clock. It starts with [`MARKER`], so a receiver finds it with one substring search and
//! never has to decode the JSON around it: the generator must stay cheaper than what it
//! measures. The same marker tags the tokens of the pings used as barriers.

use std::sync::OnceLock;
use std::time::Instant;

use memchr::memmem;

/// Starts every probe and barrier token; no name, protocol field or server text has it.
pub const MARKER: &str = "~cb~";

/// What a line tagged with [`MARKER`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// A timed message: who sent it, its number among that sender's, when it was sent.
    Message {
        /// Index of the sending client among the senders.
        sender: u32,
        /// 0, 1, 2, ... per sender.
        seq: u32,
        /// [`now_ns`] just before the write.
        sent_ns: u64,
    },
    /// The answer to a barrier ping: everything queued before it has been read.
    Sync,
}

/// Nanoseconds since this process first asked; the clock of every probe.
pub fn now_ns() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// The text of a timed message, padded with `x` to at least `min_len` bytes.
///
/// The numbers are followed by ` .`, so that the last one stays whole whatever follows
/// the text in the frame (the server trims trailing whitespace).
pub fn message_text(sender: u32, seq: u32, sent_ns: u64, min_len: usize) -> String {
    let mut text = format!("{MARKER}m {sender} {seq} {sent_ns} .");
    if text.len() < min_len {
        text.extend(std::iter::repeat_n('x', min_len - text.len()));
    }
    text
}

/// The token of a barrier ping.
pub fn sync_token() -> String {
    format!("{MARKER}s")
}

/// Finds and reads the probe in one received line, if it has one.
#[derive(Debug)]
pub struct ProbeFinder {
    finder: memmem::Finder<'static>,
}

impl Default for ProbeFinder {
    fn default() -> Self {
        Self {
            finder: memmem::Finder::new(MARKER.as_bytes()),
        }
    }
}

impl ProbeFinder {
    /// The probe in `line`: `None` for lines without the marker (joins, banners, ...).
    pub fn find(&self, line: &[u8]) -> Option<Probe> {
        let start = self.finder.find(line)? + MARKER.len();
        let rest = &line[start..];
        match rest.first()? {
            b's' => Some(Probe::Sync),
            b'm' => {
                let text = std::str::from_utf8(rest.get(1..)?).ok()?;
                let mut fields = text.split_ascii_whitespace();
                Some(Probe::Message {
                    sender: fields.next()?.parse().ok()?,
                    seq: fields.next()?.parse().ok()?,
                    sent_ns: fields.next()?.parse().ok()?,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_shared::frame::{ServerFrame, encode};

    fn delivered(text: String) -> Vec<u8> {
        encode(&ServerFrame::Message {
            nonce: None,
            epoch: 0,
            room: None,
            seq: 7,
            time_ms: 1,
            from: "bench3".into(),
            text,
        })
    }

    #[test]
    fn reads_a_message_back_from_the_servers_frame() {
        let line = delivered(message_text(3, 41, 123_456_789, 64));
        assert_eq!(
            ProbeFinder::default().find(&line),
            Some(Probe::Message {
                sender: 3,
                seq: 41,
                sent_ns: 123_456_789
            })
        );
    }

    #[test]
    fn reads_an_unpadded_message_at_the_end_of_a_frame() {
        let line = delivered(message_text(0, 1, 2, 0));
        assert_eq!(
            ProbeFinder::default().find(&line),
            Some(Probe::Message {
                sender: 0,
                seq: 1,
                sent_ns: 2
            })
        );
    }

    #[test]
    fn pads_to_the_asked_length_only() {
        assert_eq!(message_text(0, 0, 0, 40).len(), 40);
        assert!(message_text(0, 0, 0, 1).starts_with(MARKER));
    }

    #[test]
    fn recognizes_sync_tokens_and_ignores_other_lines() {
        let pong = encode(&ServerFrame::Pong {
            token: sync_token(),
        });
        let finder = ProbeFinder::default();
        assert_eq!(finder.find(&pong), Some(Probe::Sync));
        assert_eq!(
            finder.find(br#"{"type":"joined","seq":1,"time_ms":1,"name":"bench1"}"#),
            None
        );
    }

    #[test]
    fn the_clock_moves_forward() {
        let before = now_ns();
        assert!(now_ns() >= before);
    }
}
