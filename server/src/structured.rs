//! How structured-mode frames become requests.

use chat_shared::PROTOCOL_VERSION;
use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame, decode_client};

use crate::request::Request;

/// Whether a connection's first line is a structured `hello`, and if so whether its
/// version is one this server speaks (`Ok`) or not (`Err` with the frame to send).
pub fn detect_hello(line: &str) -> Option<Result<(), ServerFrame>> {
    match decode_client(line) {
        Ok(ClientFrame::Hello { version, .. }) if version == PROTOCOL_VERSION => Some(Ok(())),
        Ok(ClientFrame::Hello { version, .. }) => Some(Err(ServerFrame::Error {
            code: ErrorCode::UnsupportedVersion,
            message: format!(
                "this server speaks protocol version {PROTOCOL_VERSION}, not {version}"
            ),
        })),
        _ => None,
    }
}

/// The server's answer to an accepted `hello`.
pub fn hello_reply(max_line_bytes: usize) -> ServerFrame {
    ServerFrame::Hello {
        version: PROTOCOL_VERSION,
        server: format!("chat-server {}", env!("CARGO_PKG_VERSION")),
        max_line_bytes,
    }
}

/// Parses one structured-mode line; a line that is not a known frame gets `bad_frame`.
pub fn parse(line: &str) -> Result<Request, ServerFrame> {
    let frame = decode_client(line).map_err(|e| ServerFrame::Error {
        code: ErrorCode::BadFrame,
        message: e.to_string(),
    })?;
    Ok(match frame {
        ClientFrame::Hello { .. } => {
            return Err(ServerFrame::Error {
                code: ErrorCode::BadFrame,
                message: "hello was already received".to_owned(),
            });
        }
        ClientFrame::Login { name } => Request::Login(name),
        ClientFrame::Say { text } => Request::Say(text),
        ClientFrame::Me { text } => Request::Me(text),
        ClientFrame::Msg { to, text } => Request::Msg { to, text },
        ClientFrame::Nick { name } => Request::Nick(name),
        ClientFrame::Who => Request::Who,
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
            detect_hello(r#"{"type":"hello","version":1}"#),
            Some(Ok(()))
        );
        assert!(matches!(
            detect_hello(r#"{"type":"hello","version":99}"#),
            Some(Err(ServerFrame::Error {
                code: ErrorCode::UnsupportedVersion,
                ..
            }))
        ));
        assert_eq!(detect_hello("alice"), None);
        assert_eq!(detect_hello(r#"{"type":"login","name":"x"}"#), None);
    }

    #[test]
    fn maps_frames_to_requests() {
        assert_eq!(
            parse(r#"{"type":"msg","to":"bob","text":"hi"}"#),
            Ok(Request::Msg {
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
            Err(ServerFrame::Error {
                code: ErrorCode::BadFrame,
                ..
            })
        ));
        assert!(parse(r#"{"type":"hello","version":1}"#).is_err());
    }
}
