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
    name_key(a) == name_key(b) || looks(a) == looks(b) || looks(&name_key(a)) == looks(&name_key(b))
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
