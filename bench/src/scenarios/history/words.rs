//! Chat-like text for the history scenario: words drawn from a vocabulary of 30,000 with
//! Zipf's law (the r-th most common word about 1/r as often as the first), so that a
//! search meets both words in nearly every message and words in a handful, as in a real
//! chat. Deterministic from a seed, so that runs compare.

/// Words people type most, at the head of the vocabulary.
const COMMON: &[&str] = &[
    "the", "i", "to", "a", "and", "it", "you", "is", "that", "of", "in", "for", "on", "we", "this",
    "so", "just", "got", "but", "not", "what", "do", "lol", "ok", "yes", "no", "build", "test",
    "server", "bug", "fix", "merge", "review", "deploy", "coffee", "lunch", "meeting", "today",
    "tomorrow", "release", "docs", "thanks", "please", "anyone", "why", "how", "works", "broken",
    "again", "later", "rust", "sqlite", "chat", "history",
];

/// How many distinct words there are.
const VOCABULARY: usize = 30_000;

/// Syllables the rarer words are made of.
const CONSONANTS: &[u8] = b"bcdfghklmnprstvz";
const VOWELS: &[u8] = b"aeiou";

/// A seeded source of chat words and messages.
#[derive(Debug)]
pub struct Words {
    /// The xorshift state (never 0).
    state: u64,
    /// Every word, most common first.
    vocabulary: Vec<String>,
}

impl Words {
    /// A source that always yields the same words for the same `seed`.
    pub fn new(seed: u64) -> Self {
        let mut vocabulary: Vec<String> = COMMON.iter().map(|&w| w.to_owned()).collect();
        vocabulary.extend((0..VOCABULARY - COMMON.len()).map(made_up_word));
        Self {
            state: seed | 1,
            vocabulary,
        }
    }

    /// A uniformly random number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One word: the word of rank r comes about 1/r as often as the most common.
    pub fn word(&mut self) -> &str {
        let uniform = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let rank = (VOCABULARY as f64).powf(uniform) as usize - 1;
        &self.vocabulary[rank.min(VOCABULARY - 1)]
    }

    /// A message of 3 to 15 words.
    pub fn message(&mut self) -> String {
        let count = 3 + self.below(13);
        let mut text = String::new();
        for i in 0..count {
            if i > 0 {
                text.push(' ');
            }
            let word = self.word().to_owned();
            text.push_str(&word);
        }
        text
    }

    /// A search of one or two words, as people search: `words` of them.
    pub fn query(&mut self, words: usize) -> String {
        let first = self.word().to_owned();
        match words {
            1 => first,
            _ => format!("{first} {}", self.word()),
        }
    }

    /// xorshift64*: fast, and good enough to pick words.
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The `index`-th made-up word: two or three syllables spelled from the digits of
/// `index`, so that every index gives a different word.
fn made_up_word(index: usize) -> String {
    let syllables = CONSONANTS.len() * VOWELS.len();
    let mut rest = index + syllables;
    let mut word = String::new();
    while rest > 0 {
        let syllable = rest % syllables;
        word.push(char::from(CONSONANTS[syllable / VOWELS.len()]));
        word.push(char::from(VOWELS[syllable % VOWELS.len()]));
        rest /= syllables;
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_distinct_and_runs_repeat() {
        let words = Words::new(7);
        let distinct: std::collections::HashSet<&String> = words.vocabulary.iter().collect();
        assert_eq!(distinct.len(), VOCABULARY);
        assert_eq!(Words::new(7).message(), Words::new(7).message());
    }

    #[test]
    fn common_words_come_first() {
        let mut words = Words::new(1);
        let the = (0..10_000).filter(|_| words.word() == "the").count();
        assert!(the > 500, "{the}");
    }
}
