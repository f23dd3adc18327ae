//! The editable line under the message pane (and the name field of the login form).
//!
//! The cursor always sits on a grapheme boundary, so one Backspace removes one visible
//! character, whether it is `a`, `李`, `e` + combining accent or a ZWJ emoji sequence.

use unicode_segmentation::UnicodeSegmentation;

/// Text being typed, with a cursor, and the usual line-editing operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputLine {
    /// What was typed; may hold line breaks (from a multi-line paste).
    text: String,
    /// Byte offset of the cursor in `text`, on a grapheme boundary.
    cursor: usize,
}

impl InputLine {
    /// A line holding `text`, with the cursor at its end.
    pub fn with_text(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            cursor: text.len(),
        }
    }

    /// The same line with every character drawn as a dot, the cursor in the same place:
    /// what a password field shows.
    pub fn masked(&self) -> Self {
        const DOT: &str = "•";
        let before = self.text[..self.cursor].graphemes(true).count();
        let all = self.text.graphemes(true).count();
        Self {
            text: DOT.repeat(all),
            cursor: before * DOT.len(),
        }
    }

    /// The text typed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's byte offset into [`Self::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Takes the text out, leaving the line empty.
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        std::mem::take(&mut self.text)
    }

    /// Replaces the whole text; the cursor goes to the end.
    pub fn set(&mut self, text: &str) {
        *self = Self::with_text(text);
    }

    /// Inserts text at the cursor and moves the cursor after it.
    pub fn insert(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    /// Replaces the byte range `start..self.cursor()` with `text` (used by completion).
    pub fn replace_before_cursor(&mut self, start: usize, text: &str) {
        self.text.replace_range(start..self.cursor, text);
        self.cursor = start + text.len();
    }

    /// Moves one grapheme left.
    pub fn left(&mut self) {
        self.cursor = self.previous_boundary();
    }

    /// Moves one grapheme right.
    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    /// Moves to the start of the line.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves to the end of the line.
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Deletes the grapheme before the cursor.
    pub fn backspace(&mut self) {
        let start = self.previous_boundary();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Deletes the grapheme under the cursor.
    pub fn delete(&mut self) {
        let end = self.next_boundary();
        self.text.replace_range(self.cursor..end, "");
    }

    /// Moves to the start of the word before the cursor.
    pub fn word_left(&mut self) {
        self.cursor = self.word_start_before();
    }

    /// Moves past the end of the word after the cursor.
    pub fn word_right(&mut self) {
        let rest = &self.text[self.cursor..];
        let skipped_space = rest.len() - rest.trim_start().len();
        let word = rest[skipped_space..]
            .find(char::is_whitespace)
            .unwrap_or(rest.len() - skipped_space);
        self.cursor += skipped_space + word;
    }

    /// Deletes the word before the cursor (and the spaces between it and the cursor).
    pub fn delete_word_before(&mut self) {
        let start = self.word_start_before();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Deletes everything before the cursor.
    pub fn kill_to_start(&mut self) {
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    /// Deletes everything from the cursor on.
    pub fn kill_to_end(&mut self) {
        self.text.truncate(self.cursor);
    }

    fn word_start_before(&self) -> usize {
        let before = self.text[..self.cursor].trim_end();
        before.rfind(char::is_whitespace).map_or(0, |space| {
            space + before[space..].chars().next().map_or(1, char::len_utf8)
        })
    }

    fn previous_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(index, _)| index)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |grapheme| self.cursor + grapheme.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_line_shows_one_dot_per_character_and_keeps_the_cursor() {
        let mut line = InputLine::with_text("zoë李");
        line.left();
        let masked = line.masked();
        assert_eq!(masked.text(), "••••");
        assert_eq!(masked.cursor(), "•••".len());
    }

    fn line_at(text: &str, cursor: usize) -> InputLine {
        let mut line = InputLine::with_text(text);
        line.cursor = cursor;
        line
    }

    #[test]
    fn backspace_and_arrows_move_by_whole_graphemes() {
        let mut line = InputLine::with_text("ae\u{301}👨\u{200d}👩");
        line.backspace();
        assert_eq!(line.text(), "ae\u{301}");
        line.left();
        assert_eq!(line.cursor(), 1);
        line.delete();
        assert_eq!(line.text(), "a");
        line.right();
        line.right();
        assert_eq!(line.cursor(), 1);
    }

    #[test]
    fn inserts_at_the_cursor() {
        let mut line = line_at("hd", 1);
        line.insert("ello worl");
        assert_eq!((line.text(), line.cursor()), ("hello world", 10));
    }

    #[test]
    fn word_motions_skip_spaces_then_a_word() {
        let mut line = InputLine::with_text("one two  three");
        line.word_left();
        assert_eq!(line.cursor(), 9);
        line.word_left();
        assert_eq!(line.cursor(), 4);
        line.word_right();
        assert_eq!(line.cursor(), 7);
        line.word_right();
        assert_eq!(line.cursor(), 14);
    }

    #[test]
    fn ctrl_w_deletes_the_previous_word_and_its_trailing_spaces() {
        let mut line = InputLine::with_text("say hello  ");
        line.delete_word_before();
        assert_eq!(line.text(), "say ");
        line.delete_word_before();
        assert_eq!(line.text(), "");
        let mut wide = InputLine::with_text("你好 世界");
        wide.delete_word_before();
        assert_eq!(wide.text(), "你好 ");
    }

    #[test]
    fn kills_to_either_end() {
        let mut line = line_at("hello world", 5);
        line.kill_to_end();
        assert_eq!(line.text(), "hello");
        let mut line = line_at("hello world", 6);
        line.kill_to_start();
        assert_eq!((line.text(), line.cursor()), ("world", 0));
    }

    #[test]
    fn home_end_and_take() {
        let mut line = InputLine::with_text("abc");
        line.home();
        assert_eq!(line.cursor(), 0);
        line.end();
        assert_eq!(line.cursor(), 3);
        assert_eq!(line.take(), "abc");
        assert!(line.is_empty());
    }
}
