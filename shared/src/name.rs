//! Username rules, shared so the client can validate live exactly as the server will.
//!
//! A name is 1 to [`MAX_NAME_CHARS`] characters after Unicode NFC normalization. It may
//! hold Unicode letters and digits of any script (`Miłosz`, `Zoë`, `李雷`), combining
//! marks after a letter or digit, and the punctuation in [`NAME_PUNCTUATION`]. It starts
//! with a letter, a digit or `_`. Whitespace, controls and bidi characters are refused
//! because they are none of those; invisible characters are refused even where Unicode
//! counts them as letters or marks (Hangul fillers, variation selectors). Uniqueness is decided on [`name_key`], so
//! `Alice` and `alice` are the same name.

use caseless::Caseless;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_security::skeleton;

/// The longest name, in characters (after NFC normalization).
pub const MAX_NAME_CHARS: usize = 24;

/// The punctuation a name may contain besides letters, digits and marks.
pub const NAME_PUNCTUATION: &[char] = &['_', '-', '.'];

/// Names nobody may take, compared by [`name_key`]: they would let a user pose as the
/// server or address everyone.
pub const RESERVED_NAMES: &[&str] = &[
    "server",
    "system",
    "admin",
    "administrator",
    "root",
    "operator",
    "moderator",
    "nobody",
    "everyone",
    "all",
    "here",
];

/// Why a proposed name is refused; its `Display` is the reason shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    /// Nothing was typed.
    #[error("the name is empty")]
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters.
    #[error("the name is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    /// A character that renders as nothing (Unicode's Default_Ignorable_Code_Point:
    /// zero-width characters, variation selectors, Hangul fillers, tags): it would make a
    /// name look like another one, or blank.
    #[error("the name may not contain the invisible character U+{:04X}", u32::from(*.0))]
    Invisible(char),
    /// A character outside the rules (named in the message, escaped if invisible).
    #[error("the name may not contain {}", describe_char(*.0))]
    ForbiddenChar(char),
    /// The first character is not a letter, a digit or `_`.
    #[error("the name must start with a letter, a digit or _")]
    BadStart,
    /// One of [`RESERVED_NAMES`].
    #[error("the name \"{0}\" is reserved")]
    Reserved(String),
}

/// Checks a proposed name and returns it in the form everyone will see (NFC-normalized).
pub fn validate_name(input: &str) -> Result<String, NameError> {
    let name: String = input.nfc().collect();
    let mut chars = name.chars();
    let first = chars.next().ok_or(NameError::Empty)?;
    if let Some(invisible) = name.chars().find(|&c| is_invisible(c)) {
        return Err(NameError::Invisible(invisible));
    }
    if let Some(bad) = name.chars().find(|&c| !is_name_char(c)) {
        return Err(NameError::ForbiddenChar(bad));
    }
    if !(first.is_alphanumeric() || first == '_') {
        return Err(NameError::BadStart);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if RESERVED_NAMES.contains(&name_key(&name).as_str()) {
        return Err(NameError::Reserved(name));
    }
    Ok(name)
}

/// The key that decides whether two spellings are the same name: Unicode's compatibility
/// caseless form (full case folding between compatibility normalizations), so `Alice`,
/// `ALICE` and `ａｌｉｃｅ` (full-width) collide, and so do `Straße` and `STRASSE`, which
/// lowercasing alone keeps apart.
pub fn name_key(name: &str) -> String {
    name.chars()
        .nfd()
        .default_case_fold()
        .nfkd()
        .default_case_fold()
        .nfkc()
        .collect()
}

/// Whether `c` is a Default_Ignorable_Code_Point, which renders as nothing.
///
/// UTS #39's skeleton drops exactly these characters and maps every other one to at least
/// one character, so an empty skeleton reads the property from the same Unicode data.
fn is_invisible(c: char) -> bool {
    let mut utf8 = [0; 4];
    skeleton(c.encode_utf8(&mut utf8)).next().is_none()
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || NAME_PUNCTUATION.contains(&c)
}

fn describe_char(c: char) -> String {
    if c.is_whitespace() {
        "spaces".to_owned()
    } else if c.is_control() || !c.is_alphanumeric() && !c.is_ascii_punctuation() {
        format!("the invisible or control character U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_names_in_many_scripts() {
        for name in [
            "alice", "Miłosz", "Zoë", "李雷", "bob_2", "x.y-z", "_under", "Ωmega",
        ] {
            assert_eq!(validate_name(name).as_deref(), Ok(name), "{name}");
        }
    }

    #[test]
    fn normalizes_decomposed_letters_to_their_composed_form() {
        assert_eq!(validate_name("Zoe\u{308}").as_deref(), Ok("Zoë"));
    }

    #[test]
    fn refuses_whitespace_controls_and_symbols() {
        for (input, bad) in [
            ("al ice", ' '),
            ("al\tice", '\t'),
            ("al\u{1b}ice", '\u{1b}'),
            ("al\u{85}ice", '\u{85}'),
            ("a<b", '<'),
            ("\u{2800}", '\u{2800}'),
            ("alice\u{2800}", '\u{2800}'),
        ] {
            assert_eq!(
                validate_name(input),
                Err(NameError::ForbiddenChar(bad)),
                "{input:?}"
            );
        }
    }

    #[test]
    fn refuses_invisible_characters_anywhere() {
        for (input, invisible) in [
            ("al\u{200b}ice", '\u{200b}'),
            ("al\u{200d}ice", '\u{200d}'),
            ("al\u{202e}ice", '\u{202e}'),
            ("alice\u{fe0f}", '\u{fe0f}'),
            ("alice\u{34f}", '\u{34f}'),
            ("ali\u{ad}ce", '\u{ad}'),
            ("alice\u{2060}", '\u{2060}'),
            ("alice\u{180e}", '\u{180e}'),
            ("alice\u{17b4}", '\u{17b4}'),
            ("alice\u{1d173}", '\u{1d173}'),
            ("alice\u{e0061}\u{e007f}", '\u{e0061}'),
            ("alice\u{e0100}", '\u{e0100}'),
            ("\u{3164}", '\u{3164}'),
            ("\u{115f}", '\u{115f}'),
            ("\u{1160}", '\u{1160}'),
            ("\u{ffa0}", '\u{ffa0}'),
            ("\u{115f}\u{1160}", '\u{115f}'),
            ("bob\u{3164}", '\u{3164}'),
        ] {
            assert_eq!(
                validate_name(input),
                Err(NameError::Invisible(invisible)),
                "{input:?}"
            );
        }
        assert_eq!(
            validate_name("alice\u{fe0f}").unwrap_err().to_string(),
            "the name may not contain the invisible character U+FE0F"
        );
    }

    #[test]
    fn invisible_means_default_ignorable() {
        for c in [
            '\u{ad}',
            '\u{61c}',
            '\u{200b}',
            '\u{feff}',
            '\u{fe00}',
            '\u{e0001}',
        ] {
            assert!(is_invisible(c), "U+{:04X}", u32::from(c));
        }
        for c in ['a', 'ß', '李', '_', '\u{301}', '\u{2800}', '\u{3000}'] {
            assert!(!is_invisible(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn refuses_empty_long_and_badly_starting_names() {
        assert_eq!(validate_name(""), Err(NameError::Empty));
        assert_eq!(validate_name(&"a".repeat(25)), Err(NameError::TooLong));
        assert!(validate_name(&"李".repeat(24)).is_ok());
        assert_eq!(validate_name("-dash"), Err(NameError::BadStart));
        assert_eq!(validate_name(".dot"), Err(NameError::BadStart));
        assert_eq!(validate_name("\u{308}e"), Err(NameError::BadStart));
    }

    #[test]
    fn refuses_reserved_names_in_any_case() {
        assert_eq!(
            validate_name("Server"),
            Err(NameError::Reserved("Server".into()))
        );
        assert!(validate_name("ＡＤＭＩＮ").is_err());
    }

    #[test]
    fn keys_collide_across_case_and_width() {
        assert_eq!(name_key("Alice"), name_key("alice"));
        assert_eq!(name_key("ALICE"), name_key("ａｌｉｃｅ"));
        assert_ne!(name_key("alice"), name_key("alicia"));
    }

    #[test]
    fn keys_fold_case_fully() {
        assert_eq!(name_key("Straße"), name_key("STRASSE"));
        assert_eq!(name_key("ẞ"), "ss");
        assert_eq!(name_key("ΣΊΣΥΦΟΣ"), name_key("σίσυφος"));
        assert_eq!(name_key("ﬁona"), "fiona");
    }

    #[test]
    fn reasons_name_the_offending_character() {
        let reason = validate_name("a\u{200b}b").unwrap_err().to_string();
        assert!(reason.contains("U+200B"), "{reason}");
        assert_eq!(
            validate_name("a b").unwrap_err().to_string(),
            "the name may not contain spaces"
        );
    }

    proptest! {
        #[test]
        fn keys_are_stable(input in "\\PC{0,30}") {
            let key = name_key(&input);
            prop_assert_eq!(name_key(&key), key);
        }

        #[test]
        fn valid_names_are_stable_and_printable(input in "\\PC{0,30}") {
            if let Ok(name) = validate_name(&input) {
                prop_assert_eq!(validate_name(&name), Ok(name.clone()));
                prop_assert!(name.chars().all(|c| !c.is_control() && !c.is_whitespace()));
                prop_assert!(!name.chars().any(is_invisible));
                prop_assert!(name.chars().count() <= MAX_NAME_CHARS);
            }
        }
    }
}
