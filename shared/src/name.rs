//! Username rules, shared so the client can validate live exactly as the server will.
//!
//! A name is 1 to [`MAX_NAME_CHARS`] characters after Unicode NFC normalization. It may
//! hold Unicode letters and digits (`Miłosz`, `Zoë`, `李雷`), combining marks after a
//! letter or digit, and the punctuation in [`NAME_PUNCTUATION`]. It starts with a letter,
//! a digit or `_`. Whitespace, controls and bidi characters are refused because they are
//! none of those; invisible characters are refused even where Unicode counts them as
//! letters or marks (Hangul fillers, variation selectors).
//!
//! Look-alike letters are the rest of the danger, and UTS #39 (Unicode security
//! mechanisms) answers it: letters outside its General Security Profile (historic,
//! technical and stylized forms such as `ɑ`, full-width `ａ` or mathematical `𝐚`) are
//! refused, marks may not pile up on one letter, and scripts may mix only as far as its
//! "Highly Restrictive" level allows, so a Cyrillic `а` cannot hide among Latin letters.
//!
//! [`name_key`] says whether two spellings are the same name (`Alice` and `alice` are).
//! A name online also holds its [`name_claims`], built on UTS #39's confusable skeleton:
//! no other name online, and no reserved name, may share one, so neither `aIice` nor
//! `ALICE` can join beside `alice`.

use caseless::Caseless;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_script::{Script, UnicodeScript};
use unicode_security::{
    GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection, skeleton,
};

/// The longest name, in characters (after NFC normalization).
pub const MAX_NAME_CHARS: usize = 24;

/// The punctuation a name may contain besides letters, digits and marks.
pub const NAME_PUNCTUATION: &[char] = &['_', '-', '.'];

/// The most combining marks a name may have in a row. UTS #39 suggests this limit:
/// more marks only pile up on one letter, where they hide or imitate one another (and
/// spill over the lines around it).
pub const MAX_MARKS_IN_A_ROW: usize = 4;

/// How far a name may mix scripts: UTS #39's "Highly Restrictive" level, the one browsers
/// hold domain names to. Any single script passes, and so does Latin with the scripts
/// written beside it in East Asia (Han with kana, Bopomofo or Hangul); any other mixture,
/// such as Latin with Cyrillic or Greek, mostly serves to imitate a name and is refused.
const SCRIPT_MIXING: RestrictionLevel = RestrictionLevel::HighlyRestrictive;

/// Names nobody may take, nor any name that looks like one (compared by [`name_claims`]):
/// they would let a user pose as the server or address everyone.
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
    /// A character outside UTS #39's General Security Profile: historic, technical or
    /// rarely used letters (`ɑ`, `ᴀ`) and stylized forms (full-width `ａ`, mathematical
    /// `𝐚`), which serve names mostly to imitate ordinary letters.
    #[error(
        "the name may not contain the uncommon or stylized character '{0}' (U+{code:04X})",
        code = u32::from(*.0)
    )]
    Uncommon(char),
    /// Combining marks piled on one letter: more than [`MAX_MARKS_IN_A_ROW`] in a row, or
    /// the same mark twice.
    #[error("the name piles too many marks on one letter")]
    StackedMarks,
    /// Letters of two scripts that may not be mixed, named in the message.
    #[error("the name mixes scripts ({0} and {1})")]
    MixedScripts(&'static str, &'static str),
    /// One of [`RESERVED_NAMES`], or a name that looks like one.
    #[error("the name \"{0}\" is reserved")]
    Reserved(String),
}

/// Checks a proposed name and returns it in the form everyone will see (NFC-normalized).
pub fn validate_name(input: &str) -> Result<String, NameError> {
    let name: String = input.nfc().collect();
    check_characters(&name)?;
    check_shape(&name, MAX_NAME_CHARS)?;
    if is_reserved(&name) {
        return Err(NameError::Reserved(name));
    }
    if let Some((first, second)) = clashing_scripts(&name) {
        return Err(NameError::MixedScripts(first, second));
    }
    Ok(name)
}

/// Refuses a name for a character it may not hold, the invisible ones first.
pub(crate) fn check_characters(name: &str) -> Result<(), NameError> {
    if let Some(invisible) = name.chars().find(|&c| is_invisible(c)) {
        return Err(NameError::Invisible(invisible));
    }
    if let Some(bad) = name.chars().find(|&c| !is_name_char(c)) {
        return Err(NameError::ForbiddenChar(bad));
    }
    Ok(())
}

/// Refuses a name for its length (over `max_chars`), its first character, or its
/// letters and marks.
pub(crate) fn check_shape(name: &str, max_chars: usize) -> Result<(), NameError> {
    let first = name.chars().next().ok_or(NameError::Empty)?;
    if !(first.is_alphanumeric() || first == '_') {
        return Err(NameError::BadStart);
    }
    if name.chars().count() > max_chars {
        return Err(NameError::TooLong);
    }
    if let Some(uncommon) = name.chars().find(|&c| !c.identifier_allowed()) {
        return Err(NameError::Uncommon(uncommon));
    }
    if piles_marks(name) {
        return Err(NameError::StackedMarks);
    }
    Ok(())
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

/// A key a name holds while its owner is online: no two names online share a claim, and
/// no name shares one with a reserved name.
///
/// A name holds two, because case and looks do not fold into one key: `I` is `i` in
/// another case but looks like `l`, so a single key would have to make `i` and `l` the
/// same letter everywhere (and, through Greek capitals that look Latin, `n` and `v` too).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameClaim {
    /// The UTS #39 skeleton of the [`name_key`]: shared by names that are the same in any
    /// case, or look alike once case-folded (`alice`, `ALICE`, `mike` and `rnike`).
    Folded(String),
    /// The [`name_key`] of the skeleton: shared by names that look like the same name as
    /// written, in any case (`alice`, `aIice` and `AIice`, whose capital I looks like l).
    Written(String),
}

/// The claims `name` holds while its owner is online; see [`NameClaim`].
pub fn name_claims(name: &str) -> [NameClaim; 2] {
    let compatible: String = name.nfkc().collect();
    let written: String = skeleton(&compatible).collect();
    [
        NameClaim::Folded(skeleton(&name_key(name)).collect()),
        NameClaim::Written(name_key(&written)),
    ]
}

/// Whether `name` shares a claim with one of [`RESERVED_NAMES`], written in small letters
/// or in capitals (`ADM1N` looks like `ADMIN`).
fn is_reserved(name: &str) -> bool {
    let claims = name_claims(name);
    RESERVED_NAMES
        .iter()
        .flat_map(|&reserved| [reserved.to_owned(), reserved.to_uppercase()])
        .flat_map(|spelling| name_claims(&spelling))
        .any(|claim| claims.contains(&claim))
}

/// Whether `c` is a Default_Ignorable_Code_Point, which renders as nothing.
///
/// UTS #39's skeleton drops exactly these characters and maps every other one to at least
/// one character, so an empty skeleton reads the property from the same Unicode data.
fn is_invisible(c: char) -> bool {
    let mut utf8 = [0; 4];
    skeleton(c.encode_utf8(&mut utf8)).next().is_none()
}

/// Whether combining marks pile up on one letter of `name`: more than
/// [`MAX_MARKS_IN_A_ROW`] in a row, or one mark twice in a row. Counted in the decomposed
/// form, where every mark stands on its own in canonical order.
fn piles_marks(name: &str) -> bool {
    let (mut run, mut previous) = (0, None);
    for c in name.nfd() {
        run = if is_combining_mark(c) { run + 1 } else { 0 };
        if run > MAX_MARKS_IN_A_ROW || run > 0 && previous == Some(c) {
            return true;
        }
        previous = Some(c);
    }
    false
}

/// The two scripts to name when `name` mixes scripts beyond [`SCRIPT_MIXING`]: the one
/// of the first letter that breaks the limit, and the latest other one before it.
pub(crate) fn clashing_scripts(name: &str) -> Option<(&'static str, &'static str)> {
    if name.check_restriction_level(SCRIPT_MIXING) {
        return None;
    }
    let mut ends = name.char_indices().map(|(at, c)| (at + c.len_utf8(), c));
    let (end, breaker) =
        ends.find(|&(end, _)| !name[..end].check_restriction_level(SCRIPT_MIXING))?;
    let second = script_of(breaker);
    let first = name[..end - breaker.len_utf8()]
        .chars()
        .rev()
        .filter_map(script_of)
        .find(|&script| Some(script) != second);
    Some((script_name(first), script_name(second)))
}

/// The script a character is written in, to name it: its Script property, or for a
/// character shared by several scripts (a mark, a kana sound mark), the first of those.
fn script_of(c: char) -> Option<Script> {
    let shared = [Script::Common, Script::Inherited, Script::Unknown];
    std::iter::once(c.script())
        .chain(c.script_extension().iter())
        .find(|script| !shared.contains(script))
}

fn script_name(script: Option<Script>) -> &'static str {
    script.map_or("another script", Script::full_name)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || NAME_PUNCTUATION.contains(&c)
}

fn describe_char(c: char) -> String {
    if c.is_whitespace() {
        "spaces".to_owned()
    } else if c.is_control() {
        format!("the control character U+{:04X}", c as u32)
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::Index;

    #[test]
    fn accepts_names_in_many_scripts() {
        for name in [
            "alice",
            "Miłosz",
            "Zoë",
            "李雷",
            "bob_2",
            "x.y-z",
            "_under",
            "Ωμέγα",
            "Straße",
            "Владимир",
            "Ελένη",
            "김철수",
            "さくら",
            "สมชาย",
            "प्रिया",
            "Nguyễn",
            "عمر٣",
        ] {
            assert_eq!(validate_name(name).as_deref(), Ok(name), "{name}");
        }
    }

    #[test]
    fn accepts_latin_beside_east_asian_scripts() {
        for name in ["Tanaka田中", "田中さん", "alice李", "kim김철수", "Lee李雷"] {
            assert_eq!(validate_name(name).as_deref(), Ok(name), "{name}");
        }
    }

    #[test]
    fn refuses_mixed_scripts_and_names_them() {
        for (input, first, second) in [
            ("\u{430}lice", "Cyrillic", "Latin"),
            ("alic\u{435}", "Latin", "Cyrillic"),
            ("\u{455}\u{435}rgei", "Cyrillic", "Latin"),
            ("Ωmega", "Greek", "Latin"),
            ("bob\u{96a}", "Latin", "Devanagari"),
            ("bob\u{661}", "Latin", "Arabic"),
            ("a日ア한", "Katakana", "Hangul"),
            ("Иван李", "Cyrillic", "Han"),
        ] {
            assert_eq!(
                validate_name(input),
                Err(NameError::MixedScripts(first, second)),
                "{input:?}"
            );
        }
        assert_eq!(
            validate_name("alic\u{435}").unwrap_err().to_string(),
            "the name mixes scripts (Latin and Cyrillic)"
        );
    }

    #[test]
    fn refuses_uncommon_and_stylized_letters() {
        for (input, uncommon) in [
            ("\u{251}lice", '\u{251}'),
            ("\u{1d00}lice", '\u{1d00}'),
            ("ａｌｉｃｅ", 'ａ'),
            ("\u{1d41a}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}", '\u{1d41a}'),
            ("\u{fb01}ona", '\u{fb01}'),
            ("alice\u{b2}", '\u{b2}'),
            ("\u{2160}\u{2161}", '\u{2160}'),
            ("\u{10330}\u{1033b}", '\u{10330}'),
            ("\u{138}im", '\u{138}'),
        ] {
            assert_eq!(
                validate_name(input),
                Err(NameError::Uncommon(uncommon)),
                "{input:?}"
            );
        }
        assert_eq!(
            validate_name("ａｌｉｃｅ").unwrap_err().to_string(),
            "the name may not contain the uncommon or stylized character 'ａ' (U+FF41)"
        );
    }

    #[test]
    fn refuses_marks_piled_on_one_letter() {
        for input in [
            "a\u{301}\u{301}",
            "a\u{301}\u{323}\u{301}",
            "e\u{300}\u{301}\u{302}\u{303}\u{304}",
            "bob\u{308}\u{308}",
        ] {
            assert_eq!(
                validate_name(input),
                Err(NameError::StackedMarks),
                "{input:?}"
            );
        }
        assert!(validate_name("e\u{300}\u{301}\u{302}\u{303}").is_ok());
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
    fn refuses_reserved_names_in_disguise() {
        for name in [
            "\u{455}\u{435}rv\u{435}r",
            "\u{430}dmin",
            "\u{430}\u{4cf}\u{4cf}",
            "a11",
            "ADM1N",
            "R00T",
            "rnoderator",
            "Everyone",
        ] {
            assert_eq!(
                validate_name(name),
                Err(NameError::Reserved(name.into())),
                "{name:?}"
            );
        }
    }

    fn share_a_claim(a: &str, b: &str) -> bool {
        let claims = name_claims(a);
        name_claims(b).iter().any(|claim| claims.contains(claim))
    }

    #[test]
    fn none_of_the_reported_lookalikes_can_join_beside_alice_or_strasse() {
        let online = ["alice", "Straße"];
        for name in [
            "\u{430}lice",
            "alic\u{435}",
            "aIice",
            "\u{251}lice",
            "\u{1d00}lice",
            "alice\u{fe0f}",
            "alice\u{34f}",
            "\u{3164}",
            "\u{455}\u{435}rv\u{435}r",
            "\u{430}dmin",
            "STRASSE",
        ] {
            let valid = validate_name(name);
            assert!(
                valid.is_err() || online.iter().any(|held| share_a_claim(held, name)),
                "{name:?} could join as {valid:?}"
            );
        }
    }

    #[test]
    fn lookalikes_share_a_claim() {
        for (a, b) in [
            ("alice", "aIice"),
            ("alice", "AIice"),
            ("alice", "ALICE"),
            ("Straße", "STRASSE"),
            ("mike", "rnike"),
            ("bob0", "bobo"),
            ("bob1", "bobl"),
            ("Ian", "lan"),
            ("all", "\u{430}\u{4cf}\u{4cf}"),
            ("\u{3b1}\u{3bd}", "\u{391}\u{39d}"),
        ] {
            assert!(share_a_claim(a, b), "{a:?} and {b:?}");
        }
        for (a, b) in [
            ("alice", "alicia"),
            ("ian", "lan"),
            ("bob", "bobby"),
            ("ann", "anna"),
        ] {
            assert!(!share_a_claim(a, b), "{a:?} and {b:?}");
        }
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

    /// Letters and digits in groups that look alike or are one letter in another case, in
    /// several scripts, so that generated names often collide.
    const LOOKALIKES: &[&[char]] = &[
        &['a', 'A', '\u{430}', '\u{410}', '\u{251}'],
        &['l', 'L', 'I', '1', 'i', '\u{4cf}', '\u{456}', '\u{406}'],
        &['o', 'O', '0', '\u{43e}', '\u{41e}', '\u{3bf}'],
        &['s', 'S', '\u{df}', '\u{455}'],
        &['e', 'E', '\u{435}', '\u{415}'],
        &['c', 'C', '\u{441}', '\u{421}'],
        &['p', 'P', '\u{440}', '\u{3c1}'],
        &['m', 'M', 'r', 'n'],
        &['_', '.'],
    ];

    /// Two names of the same length, each character drawn from the same group for both.
    fn lookalike_pair() -> impl Strategy<Value = (String, String)> {
        let pick = (0..LOOKALIKES.len(), any::<Index>(), any::<Index>());
        proptest::collection::vec(pick, 1..6).prop_map(|picks| {
            picks
                .into_iter()
                .map(|(group, a, b)| {
                    let group = LOOKALIKES[group];
                    (group[a.index(group.len())], group[b.index(group.len())])
                })
                .unzip()
        })
    }

    fn lookalike_name() -> impl Strategy<Value = String> {
        lookalike_pair().prop_map(|(name, _)| name)
    }

    /// Whether two names are the same name or look alike, by UTS #39's definition: equal
    /// keys, or equal skeletons as written or case-folded.
    fn confusable(a: &str, b: &str) -> bool {
        let looks = |name: &str| skeleton(name).collect::<String>();
        name_key(a) == name_key(b)
            || looks(a) == looks(b)
            || looks(&name_key(a)) == looks(&name_key(b))
    }

    proptest! {
        #[test]
        fn valid_names_that_share_no_claim_are_not_confusable((a, b) in lookalike_pair()) {
            if let (Ok(a), Ok(b)) = (validate_name(&a), validate_name(&b)) {
                prop_assert!(share_a_claim(&a, &b) || !confusable(&a, &b), "{:?} {:?}", a, b);
            }
        }

        #[test]
        fn names_held_at_once_never_share_a_claim(attempts in proptest::collection::vec(lookalike_name(), 1..20)) {
            let mut held: Vec<String> = Vec::new();
            for attempt in attempts {
                let Ok(name) = validate_name(&attempt) else { continue };
                if !held.iter().any(|other| share_a_claim(other, &name)) {
                    held.push(name);
                }
            }
            for (at, a) in held.iter().enumerate() {
                for b in &held[at + 1..] {
                    prop_assert!(!confusable(a, b), "{:?} and {:?} are held at once", a, b);
                    prop_assert_ne!(name_key(a), name_key(b));
                }
            }
        }

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
