//! The grammar: every command, its usage errors, and lines that are messages.

use super::*;
use proptest::prelude::*;

fn usage(line: &str) -> String {
    parse(line).unwrap_err().to_string()
}

#[test]
fn plain_lines_and_double_slashes_are_messages() {
    assert_eq!(parse("hello"), Ok(Command::Say("hello".into())));
    assert_eq!(parse("//etc/hosts"), Ok(Command::Say("/etc/hosts".into())));
}

#[test]
fn parses_every_command_in_any_case() {
    assert_eq!(parse("/ME waves"), Ok(Command::Me("waves".into())));
    assert_eq!(
        parse("/msg bob  hi there"),
        Ok(Command::Msg {
            to: "bob".into(),
            text: "hi there".into()
        })
    );
    assert_eq!(parse("/query bob"), Ok(Command::Query("bob".into())));
    assert_eq!(parse("/nick robert"), Ok(Command::Nick("robert".into())));
    assert_eq!(parse("/who"), Ok(Command::Who(None)));
    assert_eq!(
        parse("/register correct horse"),
        Ok(Command::Register(Some(Secret::new("correct horse"))))
    );
    assert_eq!(parse("/REGISTER"), Ok(Command::Register(None)));
    assert_eq!(
        parse("/password old  new one"),
        Ok(Command::Password(Some(PasswordChange {
            old: Secret::new("old"),
            new: Secret::new("new one")
        })))
    );
    assert_eq!(parse("/password"), Ok(Command::Password(None)));
    assert_eq!(
        parse("/unregister pw"),
        Ok(Command::Unregister(Some(Secret::new("pw"))))
    );
    assert_eq!(parse("/names #dev"), Ok(Command::Who(Some("#dev".into()))));
    assert_eq!(
        parse("/join #dev,#ops #qa"),
        Ok(Command::Join(vec![
            "#dev".into(),
            "#ops".into(),
            "#qa".into()
        ]))
    );
    assert_eq!(
        parse("/part #dev see you"),
        Ok(Command::Part {
            room: Some("#dev".into()),
            reason: Some("see you".into())
        })
    );
    assert_eq!(
        parse("/part see you"),
        Ok(Command::Part {
            room: None,
            reason: Some("see you".into())
        })
    );
    assert_eq!(parse("/rooms"), Ok(Command::Rooms));
    assert_eq!(
        parse("/search deploy friday"),
        Ok(Command::Search {
            words: "deploy friday".into(),
            here: false
        })
    );
    assert_eq!(
        parse("/search -here  deploy"),
        Ok(Command::Search {
            words: "deploy".into(),
            here: true
        })
    );
    assert_eq!(usage("/search -here"), "Usage: /search [-here] WORDS");
    assert_eq!(parse("/topic"), Ok(Command::Topic(None)));
    assert_eq!(
        parse("/topic -delete"),
        Ok(Command::Topic(Some(String::new())))
    );
    assert_eq!(
        parse("/topic release on friday"),
        Ok(Command::Topic(Some("release on friday".into())))
    );
    assert_eq!(parse("/help"), Ok(Command::Help));
    assert_eq!(parse("/clear"), Ok(Command::Clear));
    assert_eq!(parse("/close"), Ok(Command::Close));
    assert_eq!(parse("/quit"), Ok(Command::Quit(None)));
    assert_eq!(
        parse("/quit bye now"),
        Ok(Command::Quit(Some("bye now".into())))
    );
}

#[test]
fn explains_wrong_arguments_with_the_usage_and_unknown_commands() {
    assert_eq!(usage("/msg bob"), "Usage: /msg NAME TEXT");
    assert_eq!(usage("/me"), "Usage: /me ACTION");
    assert_eq!(usage("/nick a b"), "Usage: /nick NEW");
    assert_eq!(usage("/nick"), "Usage: /nick NEW");
    assert_eq!(usage("/join dev"), "Usage: /join #ROOM[,#ROOM...]");
    assert_eq!(usage("/join"), "Usage: /join #ROOM[,#ROOM...]");
    assert_eq!(usage("/rooms all"), "Usage: /rooms");
    assert_eq!(usage("/password onlyone"), "Usage: /password [OLD NEW]");
    assert_eq!(
        usage("/dance"),
        "Unknown command /dance; /help lists the commands"
    );
    assert_eq!(
        usage("/da\u{1b}[2Jn\u{7}ce\u{202e}"),
        "Unknown command /dance; /help lists the commands",
        "what is shown back carries no escape, control or bidi character"
    );
}

#[test]
fn moderation_commands_take_an_optional_duration_then_a_reason() {
    assert_eq!(
        parse("/kick bob  flooding the room"),
        Ok(Command::Kick {
            name: "bob".into(),
            reason: Some("flooding the room".into())
        })
    );
    assert_eq!(
        parse("/kick bob"),
        Ok(Command::Kick {
            name: "bob".into(),
            reason: None
        })
    );
    assert_eq!(
        parse("/mute bob 2h calm down"),
        Ok(Command::Mute {
            name: "bob".into(),
            duration: Some(Duration::from_secs(7200)),
            reason: Some("calm down".into())
        })
    );
    assert_eq!(
        parse("/mute bob calm down"),
        Ok(Command::Mute {
            name: "bob".into(),
            duration: None,
            reason: Some("calm down".into())
        })
    );
    assert_eq!(
        parse("/ban 203.0.113.0/24 1d"),
        Ok(Command::Ban {
            target: "203.0.113.0/24".into(),
            duration: Some(Duration::from_secs(86_400)),
            reason: None
        })
    );
    assert_eq!(
        parse("/ban mallory spam"),
        Ok(Command::Ban {
            target: "mallory".into(),
            duration: None,
            reason: Some("spam".into())
        })
    );
    assert_eq!(usage("/kick"), "Usage: /kick NAME [REASON]");
    assert_eq!(usage("/unmute bob now"), "Usage: /unmute NAME");
    assert_eq!(usage("/unban"), "Usage: /unban TARGET");
    assert_eq!(usage("/bans all"), "Usage: /bans");
    assert_eq!(parse("/BANS"), Ok(Command::Bans));
    assert_eq!(parse("/unmute bob"), Ok(Command::Unmute("bob".into())));
    assert_eq!(
        parse("/unban 10.0.0.0/8"),
        Ok(Command::Unban("10.0.0.0/8".into()))
    );
}

#[test]
fn every_command_has_a_usage_and_is_found_by_its_name() {
    for spec in COMMANDS {
        assert!(spec.name.starts_with('/'));
        assert_eq!(find(&spec.name.to_uppercase()), Some(spec));
        assert!(!spec.help.is_empty());
    }
}

proptest! {
    #[test]
    fn a_line_without_a_leading_slash_is_always_a_message(line in "[^/\\s]\\PC{0,40}") {
        prop_assert_eq!(parse(&line), Ok(Command::Say(line.trim().to_owned())));
    }

    #[test]
    fn parsing_never_panics(line in "/\\PC{0,40}") {
        let _ = parse(&line);
    }
}
