//! The wire-size bound that keeps a batch under a quarter of the send queue.

use super::*;
use chat_shared::name::MAX_NAME_CHARS;
use chat_shared::text::{MAX_MESSAGE_LINES, sanitize_text};
use proptest::prelude::*;

proptest! {
    #[test]
    fn the_wire_size_bound_covers_both_modes(
        raw in "(\\PC|[\"\\\\\n\t\u{1b}]){0,400}",
        action in any::<bool>(),
    ) {
        let text = sanitize_text(&raw);
        prop_assume!(line_count(&text) <= MAX_MESSAGE_LINES);
        let said = Said { action, text: text.clone() };
        let from = "\u{10348}".repeat(MAX_NAME_CHARS);
        let (seq, time_ms) = (u64::MAX, i64::MAX);
        let frame = if action {
            ServerFrame::Action { seq, time_ms, from, text }
        } else {
            ServerFrame::Message { seq, time_ms, from, text }
        };
        let tz = TimeZone::UTC;
        for mode in [Mode::Plain, Mode::Structured] {
            let encoded = mode.encode(&frame, &tz).len();
            prop_assert!(encoded <= said.wire_size_bound(), "{mode:?}: {encoded}");
        }
    }
}
