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
mod tests;
