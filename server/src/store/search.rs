//! Turning what a user typed into a full-text query that can only mean "these words".

/// At most this many words are searched for: more only slow the query down.
const MAX_WORDS: usize = 16;

/// An FTS5 query matching every word of `words`, or `None` if there is no word in it.
///
/// The text is cut into words at every character that is not a letter or a digit (the
/// way the index's `unicode61` tokenizer cuts it), and each word is written as an FTS5
/// string in double quotes. Inside quotes FTS5 sees no operator, column filter, prefix
/// `*`, `NEAR` or `AND`/`OR`/`NOT`: user input can never be query syntax. The query text is
/// then bound as a parameter, so it is never SQL either.
pub(crate) fn fts_query(words: &str) -> Option<String> {
    let quoted: Vec<String> = words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .map(|word| format!("\"{word}\""))
        .collect();
    (!quoted.is_empty()).then(|| quoted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_quoted_and_operators_are_words() {
        assert_eq!(
            fts_query("NEAR(a b) OR c*").as_deref(),
            Some("\"NEAR\" \"a\" \"b\" \"OR\" \"c\"")
        );
        assert_eq!(
            fts_query("'; DROP TABLE events; --").as_deref(),
            Some("\"DROP\" \"TABLE\" \"events\"")
        );
        assert_eq!(fts_query("\"\" * - ( )"), None);
        assert_eq!(fts_query("   "), None);
    }

    #[test]
    fn letters_of_any_script_make_words() {
        assert_eq!(
            fts_query("café, 東京!").as_deref(),
            Some("\"café\" \"東京\"")
        );
    }

    #[test]
    fn long_input_is_capped() {
        let many = "w ".repeat(100);
        let query = fts_query(&many).unwrap_or_default();
        assert_eq!(query.matches('"').count(), 2 * MAX_WORDS);
    }
}
