//! Up/Down recall of what was sent before, like a shell.

/// How many sent lines are remembered.
const HISTORY_CAP: usize = 200;

/// Lines sent earlier, newest last, and where Up/Down browsing currently is.
#[derive(Debug, Default)]
pub struct History {
    /// Sent lines, oldest first; at most [`HISTORY_CAP`].
    entries: Vec<String>,
    /// Index into `entries` while browsing; `None` when editing a fresh line.
    browsing: Option<usize>,
    /// The unsent line that was being typed when browsing started, given back at the end.
    draft: String,
}

impl History {
    /// Remembers a sent line (not twice in a row) and stops browsing.
    pub fn push(&mut self, line: &str) {
        self.browsing = None;
        if line.is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return;
        }
        if self.entries.len() == HISTORY_CAP {
            self.entries.remove(0);
        }
        self.entries.push(line.to_owned());
    }

    /// The line before the one shown (Up); `current` is what the input holds now.
    pub fn older(&mut self, current: &str) -> Option<&str> {
        let index = match self.browsing {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_owned();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(index) => index - 1,
        };
        self.browsing = Some(index);
        Some(&self.entries[index])
    }

    /// The line after the one shown (Down), ending with the draft.
    pub fn newer(&mut self) -> Option<&str> {
        let index = self.browsing?;
        if index + 1 < self.entries.len() {
            self.browsing = Some(index + 1);
            Some(&self.entries[index + 1])
        } else {
            self.browsing = None;
            Some(&self.draft)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_walks_back_and_down_returns_to_the_draft() {
        let mut history = History::default();
        history.push("one");
        history.push("two");
        assert_eq!(history.older("draft"), Some("two"));
        assert_eq!(history.older("two"), Some("one"));
        assert_eq!(history.older("one"), None);
        assert_eq!(history.newer(), Some("two"));
        assert_eq!(history.newer(), Some("draft"));
        assert_eq!(history.newer(), None);
    }

    #[test]
    fn skips_empty_lines_and_immediate_repeats() {
        let mut history = History::default();
        history.push("same");
        history.push("same");
        history.push("");
        assert_eq!(history.older(""), Some("same"));
        assert_eq!(history.older("same"), None);
    }

    #[test]
    fn forgets_the_oldest_beyond_the_cap() {
        let mut history = History::default();
        for n in 0..=HISTORY_CAP {
            history.push(&n.to_string());
        }
        let mut oldest = String::new();
        let mut current = String::new();
        while let Some(line) = history.older(&current) {
            oldest = line.to_owned();
            current = oldest.clone();
        }
        assert_eq!(oldest, "1");
    }
}
