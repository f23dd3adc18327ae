//! Wrapping and truncating text by display width.
//!
//! Terminal columns are not characters: CJK and most emoji take two columns, combining
//! marks and zero-width joiners take none, and an emoji sequence joined by ZWJ is one
//! glyph. Everything here works on grapheme clusters and measures them exactly as
//! ratatui does when it draws them ([`CellWidth`]), so a wrapped line never spills over
//! a border or the sidebar.
//!
//! (`textwrap` was considered: it measures character by character, so it splits ZWJ
//! emoji sequences and disagrees with ratatui about their width.)

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// Columns a grapheme cluster takes when ratatui draws it; 0 for what it does not draw.
pub fn grapheme_width(grapheme: &str) -> usize {
    if grapheme.contains(char::is_control) {
        0
    } else {
        usize::from(grapheme.cell_width())
    }
}

/// Columns a string takes when drawn on one line.
pub fn display_width(text: &str) -> usize {
    text.graphemes(true).map(grapheme_width).sum()
}

/// Splits `text` into lines at most `width` columns wide.
///
/// Line breaks in the text are kept. Lines are broken at whitespace where possible (the
/// whitespace at a break is dropped), otherwise between grapheme clusters, never inside
/// one. The only line that can be wider than `width` is a single grapheme cluster that is
/// wider by itself (a wide character in a one-column pane).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_hanging(text, width, width)
}

/// Like [`wrap`], but the first line may have a different width than the others: used
/// for a message whose first line starts after a time stamp and a nick. A `first` width
/// of 0 yields an empty first line, and the text starts on the second.
pub fn wrap_hanging(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut wrapper = Wrapper {
        lines: Vec::new(),
        line: String::new(),
        line_width: 0,
        break_at: None,
        first,
        rest: rest.max(1),
        continuation: false,
    };
    if first == 0 {
        wrapper.lines.push(String::new());
    }
    for (index, paragraph) in text.split('\n').enumerate() {
        if index > 0 {
            wrapper.finish_line(false);
        }
        for grapheme in paragraph.graphemes(true) {
            wrapper.push(grapheme);
        }
    }
    wrapper.finish_line(false);
    wrapper.lines
}

/// Cuts `text` to at most `width` columns, ending in `…` when something was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let grapheme_columns = grapheme_width(grapheme);
        if used + grapheme_columns + 1 > width {
            break;
        }
        out.push_str(grapheme);
        used += grapheme_columns;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The state of one wrapping pass.
struct Wrapper {
    /// Finished lines.
    lines: Vec<String>,
    /// The line being filled.
    line: String,
    /// Columns of `line`.
    line_width: usize,
    /// Where `line` may be broken: byte range of its last whitespace run, and the
    /// columns of what precedes it.
    break_at: Option<(usize, usize, usize)>,
    /// Width of the first line.
    first: usize,
    /// Width of every other line.
    rest: usize,
    /// Whether `line` continues a paragraph broken by wrapping (leading spaces dropped).
    continuation: bool,
}

impl Wrapper {
    fn width(&self) -> usize {
        if self.lines.is_empty() {
            self.first
        } else {
            self.rest
        }
    }

    fn push(&mut self, grapheme: &str) {
        let columns = grapheme_width(grapheme);
        let is_space = grapheme.chars().all(char::is_whitespace);
        if is_space {
            if self.continuation && self.line.is_empty() {
                return;
            }
            if self.line_width + columns > self.width() {
                self.finish_line(true);
                return;
            }
            let start = self.line.len();
            self.line.push_str(grapheme);
            let end = self.line.len();
            self.break_at = match self.break_at {
                Some((run_start, run_end, before)) if run_end == start => {
                    Some((run_start, end, before))
                }
                _ => Some((start, end, self.line_width)),
            };
            self.line_width += columns;
            return;
        }
        while self.line_width + columns > self.width() && !self.line.is_empty() {
            match self.break_at.take() {
                Some((start, end, _)) => {
                    let carried = self.line.split_off(end);
                    self.line.truncate(start);
                    self.finish_line(true);
                    self.line_width = display_width(&carried);
                    self.line = carried;
                }
                None => self.finish_line(true),
            }
        }
        self.line.push_str(grapheme);
        self.line_width += columns;
    }

    /// Ends the current line; `wrapped` says whether the paragraph goes on.
    fn finish_line(&mut self, wrapped: bool) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(if wrapped {
            line.trim_end().to_owned()
        } else {
            line
        });
        self.line_width = 0;
        self.break_at = None;
        self.continuation = wrapped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn breaks_at_spaces_and_drops_the_space() {
        assert_eq!(wrap("hello big world", 9), ["hello big", "world"]);
        assert_eq!(wrap("hello big world", 5), ["hello", "big", "world"]);
    }

    #[test]
    fn keeps_line_breaks_and_empty_lines() {
        assert_eq!(wrap("one\n\ntwo", 10), ["one", "", "two"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn breaks_a_long_word_between_graphemes() {
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn counts_wide_characters_as_two_columns() {
        assert_eq!(wrap("你好世界", 5), ["你好", "世界"]);
        assert_eq!(display_width("你好"), 4);
    }

    #[test]
    fn never_splits_a_zwj_emoji_sequence_or_a_combining_mark() {
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(display_width(family), 2);
        assert_eq!(
            wrap(&format!("{family}{family}{family}"), 4),
            [format!("{family}{family}"), family.to_owned()]
        );
        assert_eq!(
            wrap("e\u{301}e\u{301}e\u{301}", 2),
            ["e\u{301}e\u{301}", "e\u{301}"]
        );
    }

    #[test]
    fn gives_a_grapheme_wider_than_the_line_a_line_of_its_own() {
        assert_eq!(wrap("a你b", 1), ["a", "你", "b"]);
    }

    #[test]
    fn hanging_wrap_uses_the_first_width_once() {
        assert_eq!(wrap_hanging("aa bb cc dd", 2, 5), ["aa", "bb cc", "dd"]);
        assert_eq!(wrap_hanging("aa bb", 0, 5), ["", "aa bb"]);
    }

    #[test]
    fn truncates_with_an_ellipsis_by_width() {
        assert_eq!(truncate("alexander", 5), "alex…");
        assert_eq!(truncate("李雷李雷", 5), "李雷…");
        assert_eq!(truncate("bob", 5), "bob");
    }

    fn without_whitespace(text: &str) -> String {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn text_with_wide_and_combining() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            "[a-z]{1,12}",
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            "[你好世界李雷]{1,4}",
            Just("👨\u{200d}👩\u{200d}👧".to_owned()),
            Just("🎉".to_owned()),
            Just("e\u{301}".to_owned()),
            "\\PC{1,6}",
        ];
        proptest::collection::vec(pieces, 0..30).prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn wrapped_lines_fit_and_keep_the_text(
            text in text_with_wide_and_combining(),
            width in 1usize..40,
        ) {
            let lines = wrap(&text, width);
            for line in &lines {
                let single_grapheme = line.graphemes(true).count() == 1;
                prop_assert!(
                    display_width(line) <= width || single_grapheme,
                    "{:?} is wider than {}", line, width
                );
                prop_assert!(!line.contains('\n'));
            }
            prop_assert_eq!(without_whitespace(&lines.concat()), without_whitespace(&text));
            prop_assert!(lines.len() > text.matches('\n').count());
        }

        #[test]
        fn truncation_fits_and_is_a_prefix(text in "\\PC{0,30}", width in 1usize..20) {
            let cut = truncate(&text, width);
            prop_assert!(display_width(&cut) <= width.max(1));
            let kept = cut.strip_suffix('…').unwrap_or(&cut);
            prop_assert!(text.starts_with(kept));
        }
    }
}
