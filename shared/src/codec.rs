//! Line framing with a length cap.
//!
//! Both session modes are line-framed: a frame is the bytes up to `\n`, with one `\r`
//! before the `\n` dropped, so `nc` (LF) and `telnet` (CRLF) both work. The decoder is
//! sans-I/O: callers feed it whatever `read` returned, and it yields complete lines. It
//! never holds more than the cap: once a line is over it, the decoder reports
//! [`LineError::TooLong`] at once and drops the rest of that line as it arrives.

use thiserror::Error;

/// The largest line, in bytes without its line ending, that the server accepts by default.
///
/// Chat lines are longer than IRC's 512 bytes: a multi-line pasted message travels as one
/// structured frame, and the JSON escaping adds to it.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8192;

/// Why an incoming line was not usable; the connection itself stays usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LineError {
    /// The line went over the cap; its bytes up to the next `\n` are discarded.
    #[error("line too long")]
    TooLong,
    /// The line was not valid UTF-8.
    #[error("line is not valid UTF-8")]
    InvalidUtf8,
}

/// Splits a byte stream into capped UTF-8 lines.
#[derive(Debug)]
pub struct LineDecoder {
    /// Bytes of the line being assembled; never longer than `max_line + 1` (for a `\r`).
    pending: Vec<u8>,
    /// The cap, in bytes, not counting the line ending.
    max_line: usize,
    /// Bytes dropped so far from the current over-long line, or `None` when not discarding.
    discarded: Option<usize>,
}

impl LineDecoder {
    /// A decoder that accepts lines of up to `max_line` bytes (line ending not counted).
    pub fn new(max_line: usize) -> Self {
        Self {
            pending: Vec::new(),
            max_line,
            discarded: None,
        }
    }

    /// Feeds the bytes of one `read` and appends every line they complete to `out`.
    ///
    /// An over-long line yields one `Err(LineError::TooLong)` as soon as it crosses the
    /// cap; it does not wait for the end of the line.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<Result<String, LineError>>) {
        while !chunk.is_empty() {
            let Some(newline) = chunk.iter().position(|&b| b == b'\n') else {
                self.take_partial(chunk, out);
                return;
            };
            let (head, rest) = chunk.split_at(newline);
            chunk = &rest[1..];
            if self.discarded.take().is_some() {
                continue;
            }
            if self.pending.len() + head.len() > self.max_line + 1 {
                self.pending.clear();
                out.push(Err(LineError::TooLong));
                continue;
            }
            self.pending.extend_from_slice(head);
            if self.pending.last() == Some(&b'\r') {
                self.pending.pop();
            }
            let line = std::mem::take(&mut self.pending);
            if line.len() > self.max_line {
                out.push(Err(LineError::TooLong));
                continue;
            }
            out.push(String::from_utf8(line).map_err(|_| LineError::InvalidUtf8));
        }
    }

    /// Changes the cap from now on, for a peer that learns the other side's limit only
    /// after lines started arriving (a client sizes its cap to the server's `hello`). The
    /// line being assembled is judged by the new cap as it goes on.
    pub fn set_max_line(&mut self, max_line: usize) {
        self.max_line = max_line;
    }

    /// Bytes dropped so far from the over-long line still arriving, if there is one.
    ///
    /// The server closes a connection that keeps sending one endless line.
    pub fn discarding(&self) -> Option<usize> {
        self.discarded
    }

    /// Bytes of an incomplete line held right now (at most the cap plus one).
    pub fn buffered(&self) -> usize {
        self.pending.len()
    }

    fn take_partial(&mut self, chunk: &[u8], out: &mut Vec<Result<String, LineError>>) {
        if let Some(dropped) = self.discarded.as_mut() {
            *dropped += chunk.len();
        } else if self.pending.len() + chunk.len() > self.max_line + 1 {
            self.discarded = Some(self.pending.len() + chunk.len());
            self.pending = Vec::new();
            out.push(Err(LineError::TooLong));
        } else {
            self.pending.extend_from_slice(chunk);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode_all(max: usize, chunks: &[&[u8]]) -> Vec<Result<String, LineError>> {
        let mut decoder = LineDecoder::new(max);
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut out);
        }
        out
    }

    #[test]
    fn splits_lf_and_crlf_lines() {
        let out = decode_all(100, &[b"one\ntwo\r\nthree\n"]);
        assert_eq!(
            out,
            vec![Ok("one".into()), Ok("two".into()), Ok("three".into())]
        );
    }

    #[test]
    fn joins_lines_split_across_reads_even_inside_a_character() {
        let bytes = "żółw\r\n".as_bytes();
        let out = decode_all(100, &[&bytes[..1], &bytes[1..2], &bytes[2..7], &bytes[7..]]);
        assert_eq!(out, vec![Ok("żółw".into())]);
    }

    #[test]
    fn keeps_an_incomplete_line_until_its_newline() {
        let mut decoder = LineDecoder::new(100);
        let mut out = Vec::new();
        decoder.feed(b"partial", &mut out);
        assert!(out.is_empty());
        assert_eq!(decoder.buffered(), 7);
        decoder.feed(b" line\n", &mut out);
        assert_eq!(out, vec![Ok("partial line".into())]);
    }

    #[test]
    fn accepts_a_line_of_exactly_the_cap_with_either_ending() {
        let line = "x".repeat(10);
        let out = decode_all(10, &[format!("{line}\n{line}\r\n").as_bytes()]);
        assert_eq!(out, vec![Ok(line.clone()), Ok(line)]);
    }

    #[test]
    fn reports_an_over_long_line_once_and_recovers_at_the_next_line() {
        let out = decode_all(4, &[b"12345", b"6789", b"\nok\n"]);
        assert_eq!(out, vec![Err(LineError::TooLong), Ok("ok".into())]);
    }

    #[test]
    fn reports_an_over_long_line_that_arrives_whole() {
        let out = decode_all(4, &[b"12345\nok\n"]);
        assert_eq!(out, vec![Err(LineError::TooLong), Ok("ok".into())]);
    }

    #[test]
    fn never_buffers_more_than_the_cap_of_an_endless_line() {
        let mut decoder = LineDecoder::new(64);
        let mut out = Vec::new();
        for _ in 0..1000 {
            decoder.feed(&[b'a'; 1024], &mut out);
            assert!(decoder.buffered() <= 65);
        }
        assert_eq!(out, vec![Err(LineError::TooLong)]);
        assert_eq!(decoder.discarding(), Some(1024 * 1000));
    }

    #[test]
    fn a_raised_cap_applies_to_the_line_being_assembled_and_the_next_ones() {
        let mut decoder = LineDecoder::new(4);
        let mut out = Vec::new();
        decoder.feed(b"ok\n123", &mut out);
        decoder.set_max_line(8);
        decoder.feed(b"45678\n12345678\n123456789\n", &mut out);
        assert_eq!(
            out,
            vec![
                Ok("ok".into()),
                Ok("12345678".into()),
                Ok("12345678".into()),
                Err(LineError::TooLong)
            ]
        );
    }

    #[test]
    fn reports_invalid_utf8_per_line() {
        let out = decode_all(100, &[b"ok\n\xff\xfe\nfine\n"]);
        assert_eq!(
            out,
            vec![
                Ok("ok".into()),
                Err(LineError::InvalidUtf8),
                Ok("fine".into())
            ]
        );
    }

    proptest! {
        #[test]
        fn chunking_never_changes_the_result(
            bytes in proptest::collection::vec(any::<u8>(), 0..400),
            cuts in proptest::collection::vec(any::<usize>(), 0..8),
            max in 1usize..40,
        ) {
            let whole = decode_all(max, &[&bytes]);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut start = 0;
            for cut in cuts {
                pieces.push(&bytes[start..cut]);
                start = cut;
            }
            pieces.push(&bytes[start..]);
            prop_assert_eq!(decode_all(max, &pieces), whole);
        }

        #[test]
        fn lines_within_the_cap_round_trip(
            lines in proptest::collection::vec("[^\r\n]{0,30}", 0..10),
        ) {
            let mut wire = Vec::new();
            for line in &lines {
                wire.extend_from_slice(line.as_bytes());
                wire.extend_from_slice(b"\r\n");
            }
            let out = decode_all(200, &[&wire]);
            let expected: Vec<Result<String, LineError>> = lines.into_iter().map(Ok).collect();
            prop_assert_eq!(out, expected);
        }

        #[test]
        fn output_lines_never_exceed_the_cap_or_hold_a_newline(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            max in 1usize..50,
        ) {
            for line in decode_all(max, &[&bytes]).into_iter().flatten() {
                prop_assert!(line.len() <= max);
                prop_assert!(!line.contains('\n'));
            }
        }
    }
}
