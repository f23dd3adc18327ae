//! How structured-mode frames become requests.

use std::time::Duration;

use chat_shared::PROTOCOL_VERSION;
use chat_shared::frame::{
    ClientFrame, ErrorCode, FloodBudget, FrameError, ServerFrame, decode_client,
};
use chat_shared::name::MAX_NAME_CHARS;
use chat_shared::password::Secret;

use crate::config::Config;
use crate::request::{Moderate, Refused, Request};

/// What a connection's first line says about its session mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstLine {
    /// A `hello` in a version this server speaks: structured mode.
    Hello,
    /// A `hello` in another version: answer with this frame and close.
    UnsupportedVersion(ServerFrame),
    /// A frame too deeply nested to be read: answer with this `bad_frame` and wait for
    /// a real first line.
    Unreadable(ServerFrame),
    /// Anything else: plain mode, and the line is a name attempt.
    Plain,
}

/// Reads a connection's first line: a structured `hello` or the start of plain mode.
pub fn detect_hello(line: &str) -> FirstLine {
    match decode_client(line) {
        Ok(ClientFrame::Hello { version, .. }) if version == PROTOCOL_VERSION => FirstLine::Hello,
        Ok(ClientFrame::Hello { version, .. }) => {
            FirstLine::UnsupportedVersion(ServerFrame::Error {
                code: ErrorCode::UnsupportedVersion,
                message: format!(
                    "this server speaks protocol version {PROTOCOL_VERSION}, not {version}; \
                     update your client"
                ),
            })
        }
        Err(error @ FrameError::TooDeep) => FirstLine::Unreadable(bad_frame(&error)),
        _ => FirstLine::Plain,
    }
}

fn bad_frame(error: &FrameError) -> ServerFrame {
    ServerFrame::Error {
        code: ErrorCode::BadFrame,
        message: error.to_string(),
    }
}

/// The server's answer to an accepted `hello`: the limits a client must respect, and the
/// longest line it may receive.
pub fn hello_reply(config: &Config) -> ServerFrame {
    ServerFrame::Hello {
        version: PROTOCOL_VERSION,
        server: format!("chat-server {}", env!("CARGO_PKG_VERSION")),
        max_line_bytes: config.max_line_bytes,
        max_frame_bytes: Some(max_frame_bytes(config)),
        flood: flood_budget(config),
    }
}

/// An upper bound of the longest line this server sends: a roster of everyone it may
/// hold, or a message as long as the longest line accepted (JSON escaping at most doubles
/// a text once control characters are removed).
fn max_frame_bytes(config: &Config) -> usize {
    let per_name = 4 * MAX_NAME_CHARS + 3;
    let roster = config.max_clients.saturating_mul(per_name);
    let message = config.max_line_bytes.saturating_mul(2);
    roster.max(message).saturating_add(FRAME_OVERHEAD_BYTES)
}

/// Room for a frame's fields around its longest part: type, names, times, codes.
const FRAME_OVERHEAD_BYTES: usize = 1024;

fn flood_budget(config: &Config) -> Option<FloodBudget> {
    (config.flood_rate > 0.0).then(|| FloodBudget {
        burst: config.flood_burst.max(1),
        interval_ms: (1000.0 / config.flood_rate).ceil() as u64,
    })
}

/// Parses one structured-mode line; a line that is not a known frame gets `bad_frame`.
/// An empty line is nothing to do, as in plain mode (and costs no flood token).
pub fn parse(line: &str) -> Result<Request, Refused> {
    if line.trim().is_empty() {
        return Ok(Request::Nothing);
    }
    let frame = decode_client(line).map_err(|e| Refused {
        code: ErrorCode::BadFrame,
        message: e.to_string(),
    })?;
    Ok(match frame {
        ClientFrame::Hello { .. } => {
            return Err(Refused {
                code: ErrorCode::BadFrame,
                message: "hello was already received".to_owned(),
            });
        }
        ClientFrame::Login {
            name,
            after,
            password,
        } => Request::Login {
            name,
            after,
            password: password.map(Secret::new),
        },
        ClientFrame::Register { password } => Request::Register(Secret::new(password)),
        ClientFrame::Password { old, new } => Request::ChangePassword {
            old: Secret::new(old),
            new: Secret::new(new),
        },
        ClientFrame::Unregister { password } => Request::Unregister(Secret::new(password)),
        ClientFrame::Say { text, room, nonce } => Request::Say { text, room, nonce },
        ClientFrame::Me { text, room, nonce } => Request::Me { text, room, nonce },
        ClientFrame::Msg { to, text, nonce } => Request::Msg { to, text, nonce },
        ClientFrame::Nick { name } => Request::Nick(name),
        ClientFrame::Who { room } => Request::Who(room),
        ClientFrame::Join { room, after } => Request::Join {
            rooms: vec![room],
            after,
        },
        ClientFrame::History {
            room,
            after,
            before,
            limit,
        } => Request::History {
            room: Some(room),
            after,
            before,
            limit,
        },
        ClientFrame::Search { words, room } => Request::Search {
            words,
            room,
            here: false,
        },
        ClientFrame::Part { room, reason } => Request::Part {
            room: Some(room),
            reason,
        },
        ClientFrame::Rooms => Request::Rooms,
        ClientFrame::Topic { room, text } => Request::Topic {
            room: Some(room),
            text,
        },
        ClientFrame::Kick { name, reason } => Request::Moderate(Moderate::Kick { name, reason }),
        ClientFrame::Mute {
            name,
            duration_s,
            reason,
        } => Request::Moderate(Moderate::Mute {
            name,
            duration: duration_s.map(Duration::from_secs),
            reason,
        }),
        ClientFrame::Unmute { name } => Request::Moderate(Moderate::Unmute(name)),
        ClientFrame::Ban {
            target,
            duration_s,
            reason,
        } => Request::Moderate(Moderate::Ban {
            target,
            duration: duration_s.map(Duration::from_secs),
            reason,
        }),
        ClientFrame::Unban { target } => Request::Moderate(Moderate::Unban(target)),
        ClientFrame::Bans => Request::Moderate(Moderate::Bans),
        ClientFrame::Ping { token } => Request::Ping(token),
        ClientFrame::Pong { .. } => Request::Pong,
        ClientFrame::Quit { reason } => Request::Quit(reason),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_a_hello_and_checks_its_version() {
        assert_eq!(
            detect_hello(r#"{"type":"hello","version":3}"#),
            FirstLine::Hello
        );
        assert!(
            matches!(
                detect_hello(r#"{"type":"hello","version":1}"#),
                FirstLine::UnsupportedVersion(ServerFrame::Error {
                    code: ErrorCode::UnsupportedVersion,
                    ..
                })
            ),
            "a client from before history"
        );
        assert!(
            matches!(
                detect_hello(r#"{"type":"hello","version":2}"#),
                FirstLine::UnsupportedVersion(ServerFrame::Error {
                    code: ErrorCode::UnsupportedVersion,
                    ..
                })
            ),
            "a client from before accounts, which cannot read their error codes"
        );
        assert!(matches!(
            detect_hello(r#"{"type":"hello","version":99}"#),
            FirstLine::UnsupportedVersion(ServerFrame::Error {
                code: ErrorCode::UnsupportedVersion,
                ..
            })
        ));
        assert_eq!(detect_hello("alice"), FirstLine::Plain);
        assert_eq!(
            detect_hello(r#"{"type":"login","name":"x"}"#),
            FirstLine::Plain
        );
        assert!(matches!(
            detect_hello(&"[".repeat(100)),
            FirstLine::Unreadable(ServerFrame::Error {
                code: ErrorCode::BadFrame,
                ..
            })
        ));
    }

    #[test]
    fn hello_announces_the_flood_budget_and_the_longest_line_sent() {
        let config = Config {
            max_clients: 14_000,
            flood_burst: 10,
            flood_rate: 2.0,
            ..Config::default()
        };
        let ServerFrame::Hello {
            max_frame_bytes: Some(max_frame_bytes),
            flood,
            ..
        } = hello_reply(&config)
        else {
            panic!("not a hello with limits");
        };
        let roster: Vec<String> = (0..14_000).map(|i| format!("{i:\u{20000}>24}")).collect();
        let welcome = chat_shared::frame::encode(&ServerFrame::Welcome {
            room: None,
            name: roster[0].clone(),
            roster,
        });
        assert!(
            welcome.len() > 1 << 20,
            "{} bytes fit the old client cap",
            welcome.len()
        );
        assert!(welcome.len() <= max_frame_bytes);
        assert_eq!(
            flood,
            Some(FloodBudget {
                burst: 10,
                interval_ms: 500
            })
        );
        let off = Config {
            flood_rate: 0.0,
            ..Config::default()
        };
        assert!(matches!(
            hello_reply(&off),
            ServerFrame::Hello { flood: None, .. }
        ));
    }

    #[test]
    fn maps_frames_to_requests() {
        assert_eq!(
            parse(r#"{"type":"msg","to":"bob","text":"hi"}"#),
            Ok(Request::Msg {
                nonce: None,
                to: "bob".into(),
                text: "hi".into()
            })
        );
        assert_eq!(parse(r#"{"type":"quit"}"#), Ok(Request::Quit(None)));
    }

    #[test]
    fn refuses_garbage_and_a_second_hello() {
        assert!(matches!(
            parse("not json"),
            Err(Refused {
                code: ErrorCode::BadFrame,
                ..
            })
        ));
        assert!(parse(r#"{"type":"hello","version":3}"#).is_err());
    }

    #[test]
    fn an_empty_line_is_nothing_to_do() {
        assert_eq!(parse(""), Ok(Request::Nothing));
        assert_eq!(parse(" \t "), Ok(Request::Nothing));
    }
}
