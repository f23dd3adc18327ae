//! Properties of what users type: sanitizing removes escape sequences whole and never
//! adds anything, leaves clean text alone, and its output is free of controls; a valid
//! name never holds an invisible, bidi, control or whitespace character, whatever is
//! mixed into the input, and names differing only in ASCII case share one key.

use chat_shared::name::{
    MAX_NAME_CHARS, NameError, RESERVED_NAMES, name_claims, name_key, validate_name,
};
use chat_shared::text::{is_bidi_control, sanitize_text};
use proptest::prelude::*;

/// Characters no name may hold: invisible, bidi, controls, whitespace.
const HOSTILE: &[char] = &[
    '\u{0}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{9b}',
    '\u{a0}',
    '\u{ad}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{2028}',
    '\u{202e}',
    '\u{2060}',
    '\u{2066}',
    '\u{3000}',
    '\u{feff}',
    '\u{e0001}',
    ' ',
    '\t',
    '\n',
];

/// Printable text: no control, bidi or surrounding whitespace, no escape introducer.
fn clean_text() -> impl Strategy<Value = String> {
    "[\\PC&&[^\u{2028}\u{2029}]]{1,30}".prop_filter("already clean", |t| {
        t.trim() == t
            && !t
                .chars()
                .any(|c| c.is_control() || is_bidi_control(c) || c == char::REPLACEMENT_CHARACTER)
    })
}

/// A terminal escape sequence: CSI with parameters, OSC (52 clipboard, 8 link, title)
/// ended by BEL or ST, or DCS.
fn escape_sequence() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[0-9;?]{0,12}", "[@-~]").prop_map(|(params, end)| format!("\x1b[{params}{end}")),
        (
            "(52;c;|8;;|0;)[ -~&&[^\x1b]]{0,20}",
            prop_oneof![Just("\x07"), Just("\x1b\\")]
        )
            .prop_map(|(body, end)| format!("\x1b]{body}{end}")),
        "[ -~&&[^\x1b]]{0,20}".prop_map(|body| format!("\x1bP{body}\x1b\\")),
    ]
}

/// A name-like string with hostile characters mixed in.
fn name_attempt() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z0-9_.-]{0,12}",
        proptest::sample::select(HOSTILE.to_vec()),
        "[a-zA-Z0-9_.\u{e9}\u{4e00}-]{0,12}",
    )
        .prop_map(|(head, bad, tail)| format!("{head}{bad}{tail}"))
}

proptest! {
    #[test]
    fn escape_sequences_are_removed_whole(
        before in clean_text(),
        escape in escape_sequence(),
        after in clean_text(),
    ) {
        let joined = format!("{before} {after}");
        prop_assert_eq!(sanitize_text(&format!("{before} {escape}{after}")), sanitize_text(&joined));
    }

    #[test]
    fn clean_text_is_left_alone(text in clean_text()) {
        prop_assert_eq!(sanitize_text(&text), text);
    }

    #[test]
    fn sanitizing_only_removes(input in "(\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}])*") {
        let output = sanitize_text(&input);
        let mut source = input.chars().map(|c| match c {
            '\t' => ' ',
            '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        });
        for c in output.chars() {
            prop_assert!(source.any(|s| s == c), "{:?} added {:?}", input, c);
        }
        prop_assert!(!output.contains('\x1b'), "{:?}", output);
    }

    #[test]
    fn no_valid_name_holds_a_hostile_character(input in name_attempt()) {
        if let Ok(name) = validate_name(&input) {
            prop_assert!(false, "{:?} was accepted as {:?}", input, name);
        }
    }

    #[test]
    fn ascii_names_are_accepted_unless_long_or_reserved_and_keyed_without_case(
        input in "[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,30}",
    ) {
        match validate_name(&input) {
            Ok(name) => {
                prop_assert_eq!(&name, &input);
                prop_assert!(name.chars().count() <= MAX_NAME_CHARS);
                prop_assert_eq!(name_key(&name.to_uppercase()), name_key(&name.to_lowercase()));
            }
            Err(NameError::TooLong) => prop_assert!(input.chars().count() > MAX_NAME_CHARS),
            Err(NameError::Reserved(_)) => {
                let claims = name_claims(&input);
                let looks_reserved = RESERVED_NAMES
                    .iter()
                    .flat_map(|&reserved| [reserved.to_owned(), reserved.to_uppercase()])
                    .any(|reserved| name_claims(&reserved).iter().any(|c| claims.contains(c)));
                prop_assert!(looks_reserved, "{:?}", input);
            }
            Err(other) => prop_assert!(false, "{:?} refused: {}", input, other),
        }
    }
}
