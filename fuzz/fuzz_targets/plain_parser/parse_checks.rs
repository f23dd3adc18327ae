//! What `plain::parse` may make of a typed line, for every request there is.
//!
//! Before joining, a line is a name attempt, `/quit`, `/help` or nothing (the password
//! of a registered name is read by the session, not by `parse`). After joining, a line
//! is a message unless it starts with one `/`, and each command's arguments land in its
//! request as the grammar in `chat_shared::command` describes them. Requests that only
//! structured clients make (`ping`, `pong`, `history`, a room, a nonce or an event id)
//! never come out of plain mode. A refusal always answers a joined person's `/command`,
//! and the refusal of a password command never depends on the password typed.

use chat_server::plain::parse;
use chat_server::request::{Moderate, Refused, Request};
use chat_shared::duration::parse_duration;
use chat_shared::frame::ErrorCode;
use chat_shared::password::Secret;

/// The commands whose arguments are passwords.
const PASSWORD_COMMANDS: &[&str] = &["/register", "/password", "/unregister"];

/// Checks what `parse` makes of `line`, `joined` or not.
pub fn check_parse(line: &str, joined: bool) {
    let typed = line.trim();
    let parsed = parse(line, joined);
    if !joined {
        assert!(
            matches!(
                parsed,
                Ok(Request::Nothing | Request::Login { .. } | Request::Quit(_) | Request::Help)
            ),
            "before joining, {typed:?} made {parsed:?}"
        );
    }
    let typed_command = Typed::new(typed);
    match parsed {
        Ok(request) => check_request(&request, &typed_command, joined),
        Err(refused) => check_refused(&refused, &typed_command, joined),
    }
}

/// A typed line cut as the grammar cuts it: the command's name (lower-cased, since
/// names are case-insensitive) and its arguments, the first of them and the rest.
struct Typed<'a> {
    line: &'a str,
    name: String,
    args: &'a str,
    first: &'a str,
    rest: &'a str,
}

impl<'a> Typed<'a> {
    fn new(line: &'a str) -> Self {
        let (name, args) = split_word(line);
        let (first, rest) = split_word(args);
        Typed {
            line,
            name: name.to_lowercase(),
            args,
            first,
            rest,
        }
    }

    /// Whether the line is the command `name`.
    fn is(&self, name: &str) -> bool {
        self.name == name
    }
}

/// The first word of `text` and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    text.split_once(char::is_whitespace)
        .map_or((text, ""), |(word, rest)| (word, rest.trim()))
}

/// `text` unless it is empty.
fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// A request `parse` made: only of the line its command names, with the arguments where
/// the grammar puts them.
fn check_request(request: &Request, typed: &Typed, joined: bool) {
    let line = typed.line;
    let (first, rest, args) = (typed.first, typed.rest, typed.args);
    match request {
        Request::Nothing => assert!(line.is_empty()),
        Request::Login {
            name,
            after: None,
            password: None,
        } => {
            assert!(!joined && !line.is_empty());
            assert_eq!(name, line);
            assert!(!typed.is("/quit") && !typed.is("/help"), "{line:?}");
        }
        Request::Quit(reason) => {
            assert!(typed.is("/quit"));
            assert_eq!(*reason, optional(args));
        }
        Request::Help => assert!(typed.is("/help")),
        Request::Register(password) => {
            check_one_password(request, typed, joined, ("/register", "Register"), password);
        }
        Request::Unregister(password) => {
            check_one_password(
                request,
                typed,
                joined,
                ("/unregister", "Unregister"),
                password,
            );
        }
        Request::ChangePassword { old, new } => {
            assert!(joined && typed.is("/password"));
            assert!(!first.is_empty() && old.expose() == first);
            assert!(!rest.is_empty() && new.expose() == rest);
            assert_eq!(
                format!("{request:?}"),
                "ChangePassword { old: Secret(..), new: Secret(..) }"
            );
        }
        Request::Say {
            text,
            room: None,
            nonce: None,
        } => {
            assert!(joined && !line.is_empty());
            match line.strip_prefix("//") {
                Some(literal) => assert_eq!(*text, format!("/{literal}")),
                None => assert!(!line.starts_with('/') && text == line),
            }
        }
        Request::Me {
            text,
            room: None,
            nonce: None,
        } => assert!(joined && typed.is("/me") && !text.is_empty() && text == args),
        Request::Msg {
            to,
            text,
            nonce: None,
        } => {
            assert!(joined && typed.is("/msg"));
            assert!(!to.is_empty() && to == first && !text.is_empty() && text == rest);
        }
        Request::Nick(name) => {
            assert!(joined && typed.is("/nick") && rest.is_empty());
            assert!(!name.is_empty() && name == first);
        }
        Request::Who(room) => {
            assert!(joined && (typed.is("/who") || typed.is("/names")) && rest.is_empty());
            assert_eq!(*room, optional(first));
        }
        Request::Join { rooms, after: None } => {
            assert!(joined && typed.is("/join"));
            let named: Vec<&str> = args
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|room| !room.is_empty())
                .collect();
            assert!(!rooms.is_empty() && rooms.iter().all(|room| room.starts_with('#')));
            assert_eq!(*rooms, named);
        }
        Request::Part { room, reason } => {
            assert!(joined && typed.is("/part"));
            match room {
                Some(room) => {
                    assert!(room.starts_with('#') && room == first);
                    assert_eq!(*reason, optional(rest));
                }
                None => {
                    assert!(!first.starts_with('#'));
                    assert_eq!(*reason, optional(args));
                }
            }
        }
        Request::Rooms => assert!(joined && typed.is("/rooms") && args.is_empty()),
        Request::Search {
            words,
            room: None,
            here,
        } => {
            assert!(joined && typed.is("/search") && !words.is_empty());
            match args.strip_prefix("-here ") {
                Some(narrowed) => assert!(*here && words == narrowed.trim()),
                None => assert!(!here && words == args && args != "-here"),
            }
        }
        Request::Topic { room: None, text } => {
            assert!(joined && typed.is("/topic"));
            let expected = match args {
                "-delete" => Some(String::new()),
                _ => optional(args),
            };
            assert_eq!(*text, expected);
        }
        Request::Moderate(order) => {
            assert!(joined);
            check_moderate(order, typed);
        }
        _ => panic!("plain mode never makes {request:?} (from {line:?})"),
    }
}

/// `/register` or `/unregister`: the password is the rest of the line, and the request
/// never shows it.
fn check_one_password(
    request: &Request,
    typed: &Typed,
    joined: bool,
    (command, variant): (&str, &str),
    password: &Secret,
) {
    assert!(joined && typed.is(command));
    assert!(!typed.args.is_empty() && password.expose() == typed.args);
    assert_eq!(format!("{request:?}"), format!("{variant}(Secret(..))"));
}

/// An operator's command: its name, and the target, time and reason in their places.
fn check_moderate(order: &Moderate, typed: &Typed) {
    let (first, rest) = (typed.first, typed.rest);
    let (second, after_second) = split_word(rest);
    let timed = |duration: &Option<_>, reason: &Option<String>| match duration {
        Some(duration) => {
            assert_eq!(parse_duration(second), Some(*duration));
            assert_eq!(*reason, optional(after_second));
        }
        None => {
            assert_eq!(parse_duration(second), None);
            assert_eq!(*reason, optional(rest));
        }
    };
    match order {
        Moderate::Kick { name, reason } => {
            assert!(typed.is("/kick") && !name.is_empty() && name == first);
            assert_eq!(*reason, optional(rest));
        }
        Moderate::Mute {
            name,
            duration,
            reason,
        } => {
            assert!(typed.is("/mute") && !name.is_empty() && name == first);
            timed(duration, reason);
        }
        Moderate::Ban {
            target,
            duration,
            reason,
        } => {
            assert!(typed.is("/ban") && !target.is_empty() && target == first);
            timed(duration, reason);
        }
        Moderate::Unmute(name) => {
            assert!(typed.is("/unmute") && rest.is_empty());
            assert!(!name.is_empty() && name == first);
        }
        Moderate::Unban(target) => {
            assert!(typed.is("/unban") && rest.is_empty());
            assert!(!target.is_empty() && target == first);
        }
        Moderate::Bans => assert!(typed.is("/bans") && typed.args.is_empty()),
    }
}

/// A refusal answers a joined person's command, says why, and never depends on the
/// passwords typed after a password command: the same command with other passwords of
/// the same shape (as many words) is refused with the very same words.
fn check_refused(refused: &Refused, typed: &Typed, joined: bool) {
    let line = typed.line;
    assert!(joined && line.starts_with('/') && !line.starts_with("//"));
    assert!(!refused.message.is_empty(), "{refused:?}");
    assert!(
        matches!(
            refused.code,
            ErrorCode::BadFrame | ErrorCode::UnknownCommand
        ),
        "{refused:?}"
    );
    if PASSWORD_COMMANDS.contains(&typed.name.as_str()) {
        let as_typed = split_word(line).0;
        let others: Vec<&str> = typed.args.split_whitespace().map(|_| "x").collect();
        let other_line = format!("{as_typed} {}", others.join(" "));
        assert_eq!(
            parse(&other_line, true).as_ref(),
            Err(refused),
            "the refusal of {as_typed} depends on the password typed"
        );
    }
}
