//! Scenario 12, look-alike names: with `alice` and `Straße` online, clients of both modes
//! try to join, and members try to rename, under names that look like theirs, like a
//! reserved name, or blank: letters from other scripts, stylized letters, invisible
//! characters, fillers and capitals. Each is refused with the right code and reason, the
//! same connection then joins under a name of its own, and nobody else ever appears.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::member::{Member, Speaks};
use crate::support::{Plain, Structured, start_server};
use crate::usable::assert_still_usable;

/// Names that must be refused while `alice` and `Straße` are online, and why.
const LOOKALIKES: &[(&str, ErrorCode)] = &[
    // The same name in another case, or letters that look the same.
    ("ALICE", ErrorCode::NameTaken),
    ("aIice", ErrorCode::NameTaken),
    ("AIice", ErrorCode::NameTaken),
    ("STRASSE", ErrorCode::NameTaken),
    ("strasse", ErrorCode::NameTaken),
    ("STRA\u{1e9e}E", ErrorCode::NameTaken),
    // Letters of another script among Latin ones.
    ("\u{430}lice", ErrorCode::NameInvalid),
    ("alic\u{435}", ErrorCode::NameInvalid),
    ("al\u{456}ce", ErrorCode::NameInvalid),
    ("alice\u{661}", ErrorCode::NameInvalid),
    // Rare, technical and stylized letters.
    ("\u{251}lice", ErrorCode::NameInvalid),
    ("\u{1d00}lice", ErrorCode::NameInvalid),
    (
        "\u{ff41}\u{ff4c}\u{ff49}\u{ff43}\u{ff45}",
        ErrorCode::NameInvalid,
    ),
    (
        "\u{1d41a}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}",
        ErrorCode::NameInvalid,
    ),
    // Invisible additions, and marks piled up.
    ("alice\u{fe0f}", ErrorCode::NameInvalid),
    ("alice\u{34f}", ErrorCode::NameInvalid),
    ("alice\u{180e}", ErrorCode::NameInvalid),
    ("alice\u{e0061}", ErrorCode::NameInvalid),
    ("alice\u{301}\u{301}", ErrorCode::NameInvalid),
    // Names that render blank.
    ("\u{3164}", ErrorCode::NameInvalid),
    ("\u{115f}\u{1160}", ErrorCode::NameInvalid),
    ("\u{ffa0}", ErrorCode::NameInvalid),
    ("\u{2800}", ErrorCode::NameInvalid),
    // Reserved names in disguise.
    ("\u{455}\u{435}rv\u{435}r", ErrorCode::NameReserved),
    ("\u{430}dmin", ErrorCode::NameReserved),
    ("\u{430}\u{4cf}\u{4cf}", ErrorCode::NameReserved),
    ("ADM1N", ErrorCode::NameReserved),
];

/// The refusal a plain-mode client reads for `name`, or its start for invalid names,
/// whose reason depends on the character.
fn plain_refusal(name: &str, code: ErrorCode) -> String {
    match code {
        ErrorCode::NameTaken => format!("! The name \"{name}\" is taken"),
        ErrorCode::NameReserved => format!("! The name \"{name}\" is reserved"),
        _ => "! The name ".to_owned(),
    }
}

/// Reads the answer to a plain-mode attempt at `name` (a refusal, a welcome or a rename)
/// and checks that it is the right refusal.
fn expect_plain_refusal(plain: &mut Plain, name: &str, code: ErrorCode) {
    let refusal = plain.0.expect_line(|l| {
        l.starts_with('!') || l.starts_with("* Welcome,") || l.contains(" is now known as ")
    });
    let expected = plain_refusal(name, code);
    if code == ErrorCode::NameInvalid {
        assert!(
            refusal.starts_with(&expected) && !refusal.ends_with("is taken"),
            "{name:?}: {refusal}"
        );
    } else {
        assert_eq!(refusal, expected, "{name:?}");
    }
}

/// Reads the answer to a structured-mode attempt at `name` (a refusal, a welcome or a
/// rename) and checks that it is a refusal with the right code.
fn expect_structured_refusal(json: &mut Structured, name: &str, code: ErrorCode) {
    let rejected = json.expect(|f| {
        matches!(
            f,
            ServerFrame::NameRejected { .. }
                | ServerFrame::Welcome { .. }
                | ServerFrame::Renamed { .. }
        )
    });
    assert!(
        matches!(&rejected, ServerFrame::NameRejected { code: got, .. } if *got == code),
        "{name:?}: expected {code:?}, got {rejected:?}"
    );
}

#[test]
fn lookalike_names_are_refused_in_both_modes_and_for_renames() {
    // Each connection tries every name in a row: no flood, but more than a burst.
    let server = start_server(|c| c.flood_rate = 0.0);
    let addr = server.local_addr();
    let _alice = Member::join(addr, "alice", Speaks::Plain);
    let _strasse = Member::join(addr, "Straße", Speaks::Structured);
    let mut plain = Plain::connect(addr);
    let mut json = Structured::connect(addr);
    let mut plain_renamer = Plain::join(addr, "renamer_plain");
    let (mut json_renamer, _) = Structured::join(addr, "renamer_json");

    for &(name, code) in LOOKALIKES {
        plain.say(name);
        expect_plain_refusal(&mut plain, name, code);
        plain
            .0
            .expect_line(|l| l.starts_with("* Choose a username"));

        json.send(&ClientFrame::Login {
            password: None,
            after: None,
            name: name.into(),
        });
        expect_structured_refusal(&mut json, name, code);

        plain_renamer.say(&format!("/nick {name}"));
        expect_plain_refusal(&mut plain_renamer, name, code);

        json_renamer.send(&ClientFrame::Nick { name: name.into() });
        expect_structured_refusal(&mut json_renamer, name, code);
    }

    // The refused connections are still usable: each joins under a name of its own.
    plain.say("carol");
    plain.0.expect_line(|l| l.starts_with("* Welcome, carol!"));
    json.send(&ClientFrame::Login {
        password: None,
        after: None,
        name: "dave".into(),
    });
    assert!(
        matches!(json.expect(|f| matches!(f, ServerFrame::Welcome { .. })),
            ServerFrame::Welcome { name, .. } if name == "dave"),
        "dave is welcomed"
    );
    assert_still_usable(
        addr,
        &[
            "alice",
            "Straße",
            "renamer_plain",
            "renamer_json",
            "carol",
            "dave",
        ],
    );
}
