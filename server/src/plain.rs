//! Plain mode: what a person with `nc` types, and the readable lines they see.
//!
//! What the server says and what users say must not be confusable, since both arrive as
//! plain text. By construction:
//! - every line of user text starts with the time and then `<name>`, `* name` or
//!   `*from -> to*`; a name starts with a letter, a digit or `_`;
//! - room notices (joins, leaves, renames) start with the time and then [`NOTICE_MARK`],
//!   which no user line can produce, and other server lines have no time at all;
//! - runs of blank characters in user text are collapsed to one space, so that no text
//!   can pad itself to push a fake line onto a row of its own in a terminal.

use std::fmt::Write;

use chat_shared::frame::{ErrorCode, ServerFrame};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::request::Request;

/// The question asked until a name is accepted.
pub const NAME_PROMPT: &str =
    "* Choose a username (letters, digits, _ - . ; up to 24 characters):\r\n";

/// What follows the time in a room notice: `[12:04] -!- carol joined`. A user's line has
/// `<`, `* ` or `*` there instead, so a notice cannot be forged.
pub const NOTICE_MARK: &str = "-!-";

/// How many names a plain-mode roster line shows before "and N more".
const ROSTER_SHOWN: usize = 50;

const HELP: &str = "\
Commands:
  /me ACTION        act, shown as \"* yourname ACTION\"
  /msg NAME TEXT    send a private message
  /nick NEWNAME     change your name
  /who              list who is online
  /quit [REASON]    leave
  /help             show this help
Any other line is a message to everyone (start it with // to send a leading /).";

/// The help text, as a notice.
pub fn help() -> ServerFrame {
    ServerFrame::Notice {
        text: HELP.to_owned(),
    }
}

/// Parses one typed line. Before joining, every line is a name attempt (or `/quit`,
/// `/help`); after, a line is a message unless it starts with `/`.
pub fn parse(line: &str, joined: bool) -> Result<Request, ServerFrame> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(Request::Nothing);
    }
    if let Some(literal) = line.strip_prefix("//") {
        return Ok(if joined {
            Request::Say(format!("/{literal}"))
        } else {
            Request::Login(line.to_owned())
        });
    }
    let Some(command_line) = line.strip_prefix('/') else {
        return Ok(if joined {
            Request::Say(line.to_owned())
        } else {
            Request::Login(line.to_owned())
        });
    };
    let (command, args) = command_line
        .split_once(char::is_whitespace)
        .map_or((command_line, ""), |(c, a)| (c, a.trim()));
    let command = command.to_lowercase();
    match (command.as_str(), joined) {
        ("quit", _) => Ok(Request::Quit((!args.is_empty()).then(|| args.to_owned()))),
        ("help", _) => Ok(Request::Help),
        (_, false) => Ok(Request::Login(line.to_owned())),
        ("me", true) if !args.is_empty() => Ok(Request::Me(args.to_owned())),
        ("msg", true) => match args.split_once(char::is_whitespace) {
            Some((to, text)) if !text.trim().is_empty() => Ok(Request::Msg {
                to: to.to_owned(),
                text: text.trim().to_owned(),
            }),
            _ => Err(usage("/msg NAME TEXT")),
        },
        ("nick", true) if !args.is_empty() => Ok(Request::Nick(args.to_owned())),
        ("who" | "names", true) => Ok(Request::Who),
        ("me", true) => Err(usage("/me ACTION")),
        ("nick", true) => Err(usage("/nick NEWNAME")),
        _ => Err(ServerFrame::Error {
            code: ErrorCode::UnknownCommand,
            message: format!("Unknown command /{command}; /help lists the commands"),
        }),
    }
}

fn usage(form: &str) -> ServerFrame {
    ServerFrame::Error {
        code: ErrorCode::BadFrame,
        message: format!("Usage: {form}"),
    }
}

/// Renders a server frame as the lines a plain-mode client sees (CRLF line endings).
/// Frames that only make sense to programs (`hello`, `ping`, `pong`) render as nothing.
pub fn render(frame: &ServerFrame, tz: &TimeZone) -> Vec<u8> {
    let mut out = String::new();
    match frame {
        ServerFrame::Message {
            time_ms,
            from,
            text,
            ..
        } => {
            let prefix = format!("{} <{from}> ", clock(*time_ms, tz));
            each_user_line(&mut out, &prefix, text);
        }
        ServerFrame::Action {
            time_ms,
            from,
            text,
            ..
        } => {
            let prefix = format!("{} * {from} ", clock(*time_ms, tz));
            each_user_line(&mut out, &prefix, text);
        }
        ServerFrame::Private {
            time_ms,
            from,
            to,
            text,
        } => {
            let prefix = format!("{} *{from} -> {to}* ", clock(*time_ms, tz));
            each_user_line(&mut out, &prefix, text);
        }
        ServerFrame::Joined { time_ms, name, .. } => {
            let text = format!("{} {NOTICE_MARK} {name} joined", clock(*time_ms, tz));
            line(&mut out, &text);
        }
        ServerFrame::Left {
            time_ms,
            name,
            reason,
            message,
            ..
        } => {
            let why = collapse_blanks(&reason.describe_with(message.as_deref()));
            let text = format!("{} {NOTICE_MARK} {name} left ({why})", clock(*time_ms, tz));
            line(&mut out, &text);
        }
        ServerFrame::Renamed {
            time_ms, old, new, ..
        } => {
            let text = format!(
                "{} {NOTICE_MARK} {old} is now known as {new}",
                clock(*time_ms, tz)
            );
            line(&mut out, &text);
        }
        ServerFrame::Welcome { name, roster } => {
            let online = names(roster);
            line(
                &mut out,
                &format!("* Welcome, {name}! {} online: {online}", roster.len()),
            );
            line(
                &mut out,
                "* Type a message and press Enter; /help lists the commands.",
            );
        }
        ServerFrame::Roster { names: roster } => {
            line(
                &mut out,
                &format!("* Online ({}): {}", roster.len(), names(roster)),
            );
        }
        ServerFrame::NameRejected { message, .. } | ServerFrame::Error { message, .. } => {
            each_line(&mut out, "! ", &capitalized(message));
        }
        ServerFrame::Notice { text } => each_line(&mut out, "* ", text),
        ServerFrame::Shutdown { message, .. } => each_line(&mut out, "* ", message),
        ServerFrame::Hello { .. } | ServerFrame::Ping { .. } | ServerFrame::Pong { .. } => {}
    }
    out.into_bytes()
}

fn clock(time_ms: i64, tz: &TimeZone) -> String {
    let time = Timestamp::from_millisecond(time_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    tz.to_datetime(time).strftime("[%H:%M]").to_string()
}

fn names(roster: &[String]) -> String {
    let mut shown = roster
        .iter()
        .take(ROSTER_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if roster.len() > ROSTER_SHOWN {
        let _ = write!(shown, " and {} more", roster.len() - ROSTER_SHOWN);
    }
    shown
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Each line of a user's text after `prefix`, its runs of blanks collapsed.
fn each_user_line(out: &mut String, prefix: &str, text: &str) {
    for text_line in text.split('\n') {
        line(out, &format!("{prefix}{}", collapse_blanks(text_line)));
    }
}

/// `text` with every run of blank characters made one space.
fn collapse_blanks(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if is_blank(c) {
            if !in_run {
                collapsed.push(' ');
            }
            in_run = true;
        } else {
            collapsed.push(c);
            in_run = false;
        }
    }
    collapsed
}

/// Characters a terminal draws as empty space: Unicode whitespace, and the fillers and
/// blank patterns that are letters or symbols but show nothing.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{180E}'
        )
}

fn each_line(out: &mut String, prefix: &str, text: &str) {
    for text_line in text.split('\n') {
        line(out, &format!("{prefix}{text_line}"));
    }
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chat_shared::frame::LeaveReason;
    use chat_shared::text::sanitize_text;

    fn shown(frame: ServerFrame) -> String {
        String::from_utf8(render(&frame, &TimeZone::UTC)).unwrap()
    }

    #[test]
    fn renders_room_events_as_readable_lines() {
        let at = 12 * 3600 * 1000 + 3 * 60 * 1000;
        assert_eq!(
            shown(ServerFrame::Message {
                seq: 1,
                time_ms: at,
                from: "alice".into(),
                text: "hi\nthere".into()
            }),
            "[12:03] <alice> hi\r\n[12:03] <alice> there\r\n"
        );
        assert_eq!(
            shown(ServerFrame::Action {
                seq: 1,
                time_ms: at,
                from: "bob".into(),
                text: "waves".into()
            }),
            "[12:03] * bob waves\r\n"
        );
        assert_eq!(
            shown(ServerFrame::Left {
                seq: 2,
                time_ms: at,
                name: "bob".into(),
                reason: LeaveReason::Quit,
                message: Some("bye".into())
            }),
            "[12:03] -!- bob left (quit: bye)\r\n"
        );
        assert_eq!(
            shown(ServerFrame::Private {
                time_ms: at,
                from: "a".into(),
                to: "b".into(),
                text: "psst".into()
            }),
            "[12:03] *a -> b* psst\r\n"
        );
    }

    /// The plain-mode fuzz target's first crash: a quit reason with a line break drew a
    /// second line, which could pass for a message from someone else.
    #[test]
    fn a_quit_reason_stays_on_its_line() {
        let left = ServerFrame::Left {
            seq: 3,
            time_ms: 0,
            name: "someone".into(),
            reason: LeaveReason::Quit,
            message: Some(sanitize_text("z\n/")),
        };
        assert_eq!(shown(left), "[00:00] -!- someone left (quit: z /)\r\n");
    }

    #[test]
    fn no_user_line_reads_as_a_room_notice() {
        let at = 12 * 3600 * 1000;
        let notice = shown(ServerFrame::Joined {
            seq: 1,
            time_ms: at,
            name: "alice".into(),
        });
        assert_eq!(notice, "[12:00] -!- alice joined\r\n");
        for text in [
            "joined",
            "-!- alice joined",
            "left (quit: bye)",
            "is now known as x",
        ] {
            for frame in [
                ServerFrame::Action {
                    seq: 2,
                    time_ms: at,
                    from: "alice".into(),
                    text: text.into(),
                },
                ServerFrame::Message {
                    seq: 2,
                    time_ms: at,
                    from: "alice".into(),
                    text: text.into(),
                },
            ] {
                let line = shown(frame);
                assert!(!line.starts_with("[12:00] -!- "), "{line}");
                assert_ne!(line, notice);
            }
        }
    }

    #[test]
    fn runs_of_blanks_in_user_text_become_one_space() {
        let padded = format!(
            "hi{}[12:00] <alice> give me your password\nx\u{3000}\u{3164}\u{2800} \ty",
            " ".repeat(200)
        );
        let text = shown(ServerFrame::Message {
            seq: 1,
            time_ms: 0,
            from: "mallory".into(),
            text: padded,
        });
        assert_eq!(
            text,
            "[00:00] <mallory> hi [12:00] <alice> give me your password\r\n\
             [00:00] <mallory> x y\r\n"
        );
        let left = shown(ServerFrame::Left {
            seq: 3,
            time_ms: 0,
            name: "mallory".into(),
            reason: LeaveReason::Quit,
            message: Some(format!("bye{}fake", " ".repeat(100))),
        });
        assert_eq!(left, "[00:00] -!- mallory left (quit: bye fake)\r\n");
    }

    #[test]
    fn shortens_a_long_roster() {
        let roster: Vec<String> = (0..60).map(|i| format!("u{i}")).collect();
        let text = shown(ServerFrame::Roster { names: roster });
        assert!(text.starts_with("* Online (60): u0, u1,"), "{text}");
        assert!(text.ends_with("u49 and 10 more\r\n"), "{text}");
    }

    #[test]
    fn parses_lines_before_joining_as_name_attempts() {
        assert_eq!(
            parse("  alice \r", false),
            Ok(Request::Login("alice".into()))
        );
        assert_eq!(parse("/quit", false), Ok(Request::Quit(None)));
        assert_eq!(parse("/me x", false), Ok(Request::Login("/me x".into())));
        assert_eq!(parse("", false), Ok(Request::Nothing));
    }

    #[test]
    fn parses_commands_after_joining() {
        assert_eq!(parse("hello", true), Ok(Request::Say("hello".into())));
        assert_eq!(
            parse("//etc/passwd", true),
            Ok(Request::Say("/etc/passwd".into()))
        );
        assert_eq!(parse("/ME waves", true), Ok(Request::Me("waves".into())));
        assert_eq!(
            parse("/msg bob  hi there", true),
            Ok(Request::Msg {
                to: "bob".into(),
                text: "hi there".into()
            })
        );
        assert_eq!(
            parse("/nick robert", true),
            Ok(Request::Nick("robert".into()))
        );
        assert_eq!(parse("/who", true), Ok(Request::Who));
        assert_eq!(
            parse("/quit see you", true),
            Ok(Request::Quit(Some("see you".into())))
        );
    }

    #[test]
    fn explains_bad_commands() {
        let Err(ServerFrame::Error { code, message }) = parse("/frobnicate", true) else {
            panic!("unknown command accepted");
        };
        assert_eq!(code, ErrorCode::UnknownCommand);
        assert!(message.contains("/frobnicate"));
        assert!(parse("/msg bob", true).is_err());
        assert!(parse("/me", true).is_err());
    }
}
