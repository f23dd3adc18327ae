//! Tab completion of names, of `#rooms`, and of `/commands` at the start of the line.

use super::input::InputLine;

/// A completion in progress: repeated Tabs cycle through its candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset where the completed word starts.
    start: usize,
    /// What the word can become, suffix included, in cycling order.
    candidates: Vec<String>,
    /// The candidate currently in the line.
    index: usize,
}

impl Completion {
    /// Starts completing the word before the cursor; `None` when nothing matches.
    ///
    /// `names` are the candidates for ordinary words and `rooms` for a `#word` (each
    /// already in the order offered); `commands` are offered for a `/word` at the start
    /// of the line.
    pub fn begin(
        line: &InputLine,
        names: &[&str],
        rooms: &[&str],
        commands: &[&str],
    ) -> Option<Self> {
        let before = &line.text()[..line.cursor()];
        let start = before.rfind(char::is_whitespace).map_or(0, |space| {
            space + before[space..].chars().next().map_or(1, char::len_utf8)
        });
        let word = &before[start..];
        if word.is_empty() {
            return None;
        }
        let candidates: Vec<String> = if start == 0 && word.starts_with('/') {
            commands
                .iter()
                .filter(|command| command.starts_with(word))
                .map(|command| format!("{command} "))
                .collect()
        } else {
            let wanted = word.to_lowercase();
            let (candidates, suffix) = if word.starts_with('#') {
                (rooms, " ")
            } else if start == 0 {
                (names, ": ")
            } else {
                (names, " ")
            };
            candidates
                .iter()
                .filter(|name| name.to_lowercase().starts_with(&wanted))
                .map(|name| format!("{name}{suffix}"))
                .collect()
        };
        if candidates.is_empty() {
            return None;
        }
        Some(Self {
            start,
            candidates,
            index: 0,
        })
    }

    /// Puts the current candidate into the line in place of the word.
    pub fn apply(&self, line: &mut InputLine) {
        line.replace_before_cursor(self.start, &self.candidates[self.index]);
    }

    /// Moves to the next candidate (or the previous one, for Shift-Tab) and applies it.
    pub fn cycle(&mut self, line: &mut InputLine, backwards: bool) {
        let count = self.candidates.len();
        self.index = if backwards {
            (self.index + count - 1) % count
        } else {
            (self.index + 1) % count
        };
        self.apply(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["alice", "Alfred", "bob"];
    const ROOMS: &[&str] = &["#dev", "#Design", "#general"];

    fn complete(text: &str) -> Option<(Completion, InputLine)> {
        let mut line = InputLine::with_text(text);
        let completion = Completion::begin(&line, NAMES, ROOMS, &["/help", "/me", "/msg"])?;
        completion.apply(&mut line);
        Some((completion, line))
    }

    #[test]
    fn completes_a_name_at_the_start_with_a_colon() {
        let (_, line) = complete("bo").unwrap();
        assert_eq!(line.text(), "bob: ");
    }

    #[test]
    fn completes_a_name_mid_line_case_insensitively_and_cycles() {
        let (mut completion, mut line) = complete("hi AL").unwrap();
        assert_eq!(line.text(), "hi alice ");
        completion.cycle(&mut line, false);
        assert_eq!(line.text(), "hi Alfred ");
        completion.cycle(&mut line, false);
        assert_eq!(line.text(), "hi alice ");
        completion.cycle(&mut line, true);
        assert_eq!(line.text(), "hi Alfred ");
    }

    #[test]
    fn completes_commands_only_at_the_start() {
        let (mut completion, mut line) = complete("/m").unwrap();
        assert_eq!(line.text(), "/me ");
        completion.cycle(&mut line, false);
        assert_eq!(line.text(), "/msg ");
        assert!(complete("say /m").is_none());
    }

    #[test]
    fn completes_rooms_anywhere_in_the_line() {
        let (mut completion, mut line) = complete("/join #de").unwrap();
        assert_eq!(line.text(), "/join #dev ");
        completion.cycle(&mut line, false);
        assert_eq!(line.text(), "/join #Design ");
        let (_, line) = complete("#GEN").unwrap();
        assert_eq!(line.text(), "#general ", "no colon after a room");
    }

    #[test]
    fn offers_nothing_for_no_match_or_an_empty_word() {
        assert!(complete("zed").is_none());
        assert!(complete("hello ").is_none());
    }
}
