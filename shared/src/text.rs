//! Sanitizing of user text before anyone else sees it.
//!
//! A chat relays one user's bytes to other users' terminals, so text is cleaned on the
//! server before it is broadcast (and the client cleans again before drawing):
//!
//! - escape sequences (CSI such as colors and cursor moves, OSC such as clipboard writes
//!   and hyperlinks, DCS and the rest) are removed whole, parameters included, using the
//!   `vte` terminal parser so that we strip exactly what a terminal would interpret;
//! - remaining C0 and C1 control characters and DEL are removed, except that a line feed
//!   stays a line break (messages may span lines) and a tab becomes a space;
//! - bidi embedding, override and isolate characters, which can make text display in a
//!   different order than it was written, are removed; U+2028/U+2029 become line feeds;
//! - the replacement character U+FFFD is removed: the parser makes one of the rest of a
//!   character that an unfinished sequence cut in two, and it says nothing of its own;
//! - leading and trailing whitespace and blank lines are trimmed.
//!
//! Zero-width joiners and non-joiners stay: emoji sequences and several scripts need them.

use vte::{Parser, Perform};

/// The most lines one message may have. Plain mode shows each line with its own time and
/// name prefix, so an unbounded count of short lines would multiply a message's size for
/// every plain-mode receiver; longer texts are sent as several messages.
pub const MAX_MESSAGE_LINES: usize = 50;

/// The longest quit reason, in characters; a longer one is cut. A quit reason is shown to
/// everyone in the room, so it is kept short, like IRC's QUITLEN.
pub const MAX_REASON_CHARS: usize = 300;

/// `text` cut to at most `max_chars` characters, an ellipsis marking the cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some(_) => {
            let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
            format!("{}…", kept.trim_end())
        }
    }
}

/// How many lines `text` shows as (at least one).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// Returns `input` with escape sequences, control and bidi characters removed.
///
/// The result never contains a control character other than `\n`, and sanitizing it
/// again returns it unchanged.
pub fn sanitize_text(input: &str) -> String {
    let mut sink = PrintableOnly(String::with_capacity(input.len()));
    Parser::new().advance(&mut sink, input.as_bytes());
    let cleaned = sink.0;
    let trimmed = cleaned.trim_matches(|c: char| c.is_whitespace());
    if trimmed.len() == cleaned.len() {
        cleaned
    } else {
        trimmed.to_owned()
    }
}

/// Like [`sanitize_text`], for text that must stay on one line (a quit reason, a name
/// echoed in an error): line breaks become spaces, so the text cannot start a line of its
/// own in a plain-mode client's view.
pub fn sanitize_line(input: &str) -> String {
    sanitize_text(input).replace('\n', " ")
}

/// Whether `c` reorders text on display (Unicode bidi embeddings, overrides, isolates and
/// marks); such characters let a message masquerade as different text.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Collects what a terminal would print, dropping every sequence it would interpret.
struct PrintableOnly(String);

impl Perform for PrintableOnly {
    fn print(&mut self, c: char) {
        match c {
            '\u{2028}' | '\u{2029}' => self.0.push('\n'),
            c if c.is_control() || is_bidi_control(c) || c == char::REPLACEMENT_CHARACTER => {}
            c => self.0.push(c),
        }
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\n' => self.0.push('\n'),
            b'\t' => self.0.push(' '),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_ordinary_text_of_any_script_and_emoji() {
        for text in [
            "hello",
            "Zażółć gęślą jaźń",
            "李雷 你好",
            "👨‍👩‍👧 family",
            "e\u{301}",
        ] {
            assert_eq!(sanitize_text(text), text);
        }
    }

    #[test]
    fn removes_csi_sequences_with_their_parameters() {
        assert_eq!(
            sanitize_text("\x1b[31mred\x1b[0m \x1b[2J\x1b[Hplain"),
            "red plain"
        );
    }

    #[test]
    fn removes_osc_clipboard_and_hyperlink_sequences() {
        assert_eq!(sanitize_text("a\x1b]52;c;ZXZpbA==\x07b"), "ab");
        assert_eq!(
            sanitize_text("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"),
            "click"
        );
    }

    #[test]
    fn a_character_cut_by_an_unfinished_sequence_leaves_no_replacement_character() {
        assert_eq!(sanitize_text("\x1bPA\u{1cd00}"), "");
        assert_eq!(sanitize_text("ok \u{fffd}"), "ok");
    }

    #[test]
    fn removes_an_unterminated_sequence_to_the_end() {
        assert_eq!(sanitize_text("safe\x1b]0;title never ends"), "safe");
    }

    #[test]
    fn removes_c0_c1_del_and_nul() {
        assert_eq!(
            sanitize_text("a\0b\x07c\x7fd\u{85}e\u{9b}31mf\rg"),
            "abcde31mfg"
        );
    }

    #[test]
    fn keeps_line_breaks_and_turns_tabs_into_spaces() {
        assert_eq!(
            sanitize_text("one\ntwo\tthree\u{2028}four"),
            "one\ntwo three\nfour"
        );
    }

    #[test]
    fn removes_bidi_overrides_and_isolates() {
        assert_eq!(sanitize_text("abc\u{202e}fed\u{2066}x\u{2069}"), "abcfedx");
    }

    #[test]
    fn trims_surrounding_whitespace_and_blank_lines() {
        assert_eq!(sanitize_text("\n\n  hi there \n\n"), "hi there");
        assert_eq!(sanitize_text("\x1b[1m\x1b[0m"), "");
    }

    #[test]
    fn one_line_texts_keep_their_words_but_not_their_line_breaks() {
        assert_eq!(
            sanitize_line("bye\n[12:00] <marker> I owe you"),
            "bye [12:00] <marker> I owe you"
        );
    }

    #[test]
    fn shortening_keeps_short_texts_and_marks_a_cut() {
        assert_eq!(shorten("bye", 3), "bye");
        assert_eq!(shorten("goodbye", 5), "good…");
        assert_eq!(shorten("żółw żółw", 6), "żółw…");
        assert_eq!(
            shorten(&"x".repeat(8000), MAX_REASON_CHARS).chars().count(),
            300
        );
    }

    proptest! {
        #[test]
        fn output_has_no_controls_and_is_stable(input in "(\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}])*") {
            let once = sanitize_text(&input);
            prop_assert!(once.chars().all(|c| c == '\n' || !c.is_control()), "{:?}", once);
            prop_assert!(!once.chars().any(is_bidi_control));
            prop_assert_eq!(sanitize_text(&once), once.clone());
            let line = sanitize_line(&input);
            prop_assert!(!line.chars().any(char::is_control), "{:?}", line);
        }
    }
}
