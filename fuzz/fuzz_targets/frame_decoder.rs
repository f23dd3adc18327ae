//! Fuzzes what a structured client's bytes go through on the server, and what the client
//! does with the server's: line framing with a cap (`LineDecoder`), then frame decoding
//! in both directions.
//!
//! Checked on every input: no panic; a line never exceeds the cap nor holds a `\n`; the
//! decoder never holds more than the cap plus one byte; cutting the stream into other
//! reads never changes the lines; and every frame that decodes encodes back to one line
//! that decodes to the same frame; a line nested deeper than the protocol's bound is
//! refused before parsing.

#![no_main]

use chat_shared::codec::{LineDecoder, LineError};
use chat_shared::frame::{FrameError, MAX_FRAME_DEPTH, decode_client, decode_server, encode};
use chat_shared::nesting::nesting_depth_exceeds;
use libfuzzer_sys::fuzz_target;

/// Largest cap tried; the server's default is 8192.
const MAX_CAP: u16 = 8192;

fuzz_target!(|input: (u16, Vec<u16>, &[u8])| {
    let (cap, cuts, bytes) = input;
    let cap = usize::from(cap % MAX_CAP) + 1;
    let whole = decode_in_pieces(cap, &[bytes]);
    assert_eq!(decode_in_pieces(cap, &split_at(bytes, &cuts)), whole);
    for line in whole.into_iter().flatten() {
        assert!(line.len() <= cap && !line.contains('\n'), "{line:?}");
        if nesting_depth_exceeds(&line, MAX_FRAME_DEPTH) {
            assert!(matches!(decode_client(&line), Err(FrameError::TooDeep)));
            assert!(matches!(decode_server(&line), Err(FrameError::TooDeep)));
        }
        if let Ok(frame) = decode_client(&line) {
            assert_eq!(decode_client(&one_line(&encode(&frame))).unwrap(), frame);
        }
        if let Ok(frame) = decode_server(&line) {
            assert_eq!(decode_server(&one_line(&encode(&frame))).unwrap(), frame);
        }
    }
});

/// Feeds `pieces` as successive reads and checks the decoder's bound after each.
fn decode_in_pieces(cap: usize, pieces: &[&[u8]]) -> Vec<Result<String, LineError>> {
    let mut decoder = LineDecoder::new(cap);
    let mut out = Vec::new();
    for piece in pieces {
        decoder.feed(piece, &mut out);
        assert!(decoder.buffered() <= cap + 1);
    }
    out
}

/// Cuts `bytes` at the given offsets (taken modulo its length, in order).
fn split_at<'a>(bytes: &'a [u8], cuts: &[u16]) -> Vec<&'a [u8]> {
    let mut offsets: Vec<usize> = cuts
        .iter()
        .map(|&cut| usize::from(cut) % (bytes.len() + 1))
        .collect();
    offsets.sort_unstable();
    let mut pieces = Vec::with_capacity(offsets.len() + 1);
    let mut start = 0;
    for offset in offsets {
        pieces.push(&bytes[start..offset]);
        start = offset;
    }
    pieces.push(&bytes[start..]);
    pieces
}

/// An encoded frame as the one line it must be, without its `\n`.
fn one_line(encoded: &[u8]) -> String {
    let (last, line) = encoded
        .split_last()
        .expect("an encoded frame is never empty");
    assert_eq!(*last, b'\n');
    assert!(!line.contains(&b'\n'));
    String::from_utf8(line.to_vec()).expect("encoded frames are UTF-8")
}
