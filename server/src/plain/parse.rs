//! What a typed line asks for: the shared slash-command grammar, and the name attempts
//! that come before it.

use chat_shared::command::{self, Command, CommandError, PasswordChange, Scope};
use chat_shared::frame::ErrorCode;

use crate::request::{Moderate, Refused, Request};

/// Parses one typed line. Before joining, every line is a name attempt (or `/quit`,
/// `/help`); after, a line is a message to the current room unless it starts with `/`,
/// and commands follow the grammar `chat-tui` shares.
pub fn parse(line: &str, joined: bool) -> Result<Request, Refused> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(Request::Nothing);
    }
    let parsed = command::parse(line);
    if !joined {
        return Ok(match parsed {
            Ok(Command::Quit(reason)) => Request::Quit(reason),
            Ok(Command::Help) => Request::Help,
            _ => Request::Login {
                name: line.to_owned(),
                after: None,
                password: None,
            },
        });
    }
    match parsed {
        Ok(command) => request(command, line),
        Err(CommandError::Usage(spec)) => Err(error(
            ErrorCode::BadFrame,
            CommandError::Usage(spec).to_string(),
        )),
        Err(unknown @ CommandError::Unknown(_)) => {
            Err(error(ErrorCode::UnknownCommand, unknown.to_string()))
        }
    }
}

/// The request a joined person's command makes; `chat-tui`'s own commands (its buffers
/// and screen) are unknown here.
fn request(command: Command, line: &str) -> Result<Request, Refused> {
    Ok(match command {
        Command::Say(text) => Request::Say {
            text,
            room: None,
            nonce: None,
        },
        Command::Me(text) => Request::Me {
            text,
            room: None,
            nonce: None,
        },
        Command::Msg { to, text } => Request::Msg {
            to,
            text,
            nonce: None,
        },
        Command::Nick(name) => Request::Nick(name),
        Command::Register(Some(password)) => Request::Register(password),
        Command::Password(Some(PasswordChange { old, new })) => {
            Request::ChangePassword { old, new }
        }
        Command::Unregister(Some(password)) => Request::Unregister(password),
        Command::Register(None) | Command::Password(None) | Command::Unregister(None) => {
            let name = line.split_whitespace().next().unwrap_or(line);
            let usage = match command::find(name).map(|spec| spec.name) {
                Some("/register") => "/register PASSWORD",
                Some("/password") => "/password OLD NEW",
                _ => "/unregister PASSWORD",
            };
            return Err(error(
                ErrorCode::BadFrame,
                format!(
                    "Usage: {usage} (what you type is shown on your screen: nc cannot hide it)"
                ),
            ));
        }
        Command::Who(room) => Request::Who(room),
        Command::Join(rooms) => Request::Join { rooms, after: None },
        Command::Search { words, here } => Request::Search {
            words,
            room: None,
            here,
        },
        Command::Part { room, reason } => Request::Part { room, reason },
        Command::Rooms => Request::Rooms,
        Command::Topic(text) => Request::Topic { room: None, text },
        Command::Kick { name, reason } => Request::Moderate(Moderate::Kick { name, reason }),
        Command::Mute {
            name,
            duration,
            reason,
        } => Request::Moderate(Moderate::Mute {
            name,
            duration,
            reason,
        }),
        Command::Unmute(name) => Request::Moderate(Moderate::Unmute(name)),
        Command::Ban {
            target,
            duration,
            reason,
        } => Request::Moderate(Moderate::Ban {
            target,
            duration,
            reason,
        }),
        Command::Unban(target) => Request::Moderate(Moderate::Unban(target)),
        Command::Bans => Request::Moderate(Moderate::Bans),
        Command::Help => Request::Help,
        Command::Quit(reason) => Request::Quit(reason),
        Command::Query(_) | Command::Clear | Command::Close => {
            let name = line.split_whitespace().next().unwrap_or(line);
            let scope = command::find(name).map(|spec| spec.scope);
            debug_assert_eq!(scope, Some(Scope::Client));
            return Err(error(
                ErrorCode::UnknownCommand,
                format!("{name} is a chat-tui command; /help lists the commands here"),
            ));
        }
    })
}

fn error(code: ErrorCode, message: String) -> Refused {
    Refused { code, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(text: &str) -> Request {
        Request::Say {
            nonce: None,
            text: text.into(),
            room: None,
        }
    }

    #[test]
    fn parses_lines_before_joining_as_name_attempts() {
        assert_eq!(
            parse("  alice \r", false),
            Ok(Request::Login {
                name: "alice".into(),
                after: None,
                password: None
            })
        );
        assert_eq!(parse("/quit", false), Ok(Request::Quit(None)));
        assert_eq!(parse("/help", false), Ok(Request::Help));
        assert_eq!(
            parse("/me x", false),
            Ok(Request::Login {
                name: "/me x".into(),
                after: None,
                password: None
            })
        );
        assert_eq!(parse("", false), Ok(Request::Nothing));
    }

    #[test]
    fn parses_commands_after_joining() {
        assert_eq!(parse("hello", true), Ok(say("hello")));
        assert_eq!(parse("//etc/passwd", true), Ok(say("/etc/passwd")));
        assert_eq!(
            parse("/ME waves", true),
            Ok(Request::Me {
                nonce: None,
                text: "waves".into(),
                room: None
            })
        );
        assert_eq!(
            parse("/msg bob  hi there", true),
            Ok(Request::Msg {
                nonce: None,
                to: "bob".into(),
                text: "hi there".into()
            })
        );
        assert_eq!(
            parse("/nick robert", true),
            Ok(Request::Nick("robert".into()))
        );
        assert_eq!(parse("/who", true), Ok(Request::Who(None)));
        assert_eq!(
            parse("/names #dev", true),
            Ok(Request::Who(Some("#dev".into())))
        );
        assert_eq!(
            parse("/join #dev,#ops", true),
            Ok(Request::Join {
                rooms: vec!["#dev".into(), "#ops".into()],
                after: None
            })
        );
        assert_eq!(
            parse("/part #dev bye", true),
            Ok(Request::Part {
                room: Some("#dev".into()),
                reason: Some("bye".into())
            })
        );
        assert_eq!(parse("/rooms", true), Ok(Request::Rooms));
        assert_eq!(
            parse("/topic ship it", true),
            Ok(Request::Topic {
                room: None,
                text: Some("ship it".into())
            })
        );
        assert_eq!(
            parse("/quit see you", true),
            Ok(Request::Quit(Some("see you".into())))
        );
    }

    #[test]
    fn explains_bad_commands_as_chat_tui_does() {
        let Err(Refused { code, message }) = parse("/frobnicate", true) else {
            panic!("unknown command accepted");
        };
        assert_eq!(code, ErrorCode::UnknownCommand);
        assert_eq!(
            message,
            "Unknown command /frobnicate; /help lists the commands"
        );
        let Err(Refused { code, message }) = parse("/nick a b", true) else {
            panic!("a name with a space accepted");
        };
        assert_eq!(
            (code, message.as_str()),
            (ErrorCode::BadFrame, "Usage: /nick NEW")
        );
        assert!(parse("/msg bob", true).is_err());
        assert!(parse("/me", true).is_err());
        assert!(parse("/query bob", true).is_err(), "chat-tui's own command");
    }
}
