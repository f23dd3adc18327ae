//! Lines nested thousands of levels deep: the JSON parser recurses per level, and on a
//! client thread's small stack a deep enough line used to overflow it, which aborts the
//! whole server. These run against the debug build, where each level costs the most stack.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};

use crate::support::{Structured, start_server};
use crate::usable::assert_still_usable;

/// Depths from just over the protocol's bound to far past the parser's own limit.
const DEPTHS: [usize; 5] = [9, 120, 500, 2000, 4000];

/// Lines of each shape at `depth`: bare arrays, objects, and a nested field before or
/// after the frame's `type`.
fn deep_lines(depth: usize) -> [String; 4] {
    let arrays = "[".repeat(depth);
    let objects = r#"{"a":"#.repeat(depth);
    [
        arrays.clone(),
        objects.clone(),
        format!(r#"{{"type":"say","text":"hi","x":{arrays}}}"#),
        format!(r#"{{"x":{objects}1,"type":"say","text":"hi"}}"#),
    ]
}

fn expect_bad_frame(client: &mut Structured) {
    let frame = client.expect(|f| matches!(f, ServerFrame::Error { .. }));
    assert!(
        matches!(
            frame,
            ServerFrame::Error {
                code: ErrorCode::BadFrame,
                ..
            }
        ),
        "{frame:?}"
    );
}

#[test]
fn deeply_nested_frames_get_bad_frame_and_the_connection_stays() {
    let server = start_server(|c| {
        c.flood_rate = 0.0;
        c.max_line_bytes = 32 * 1024;
    });
    let (mut client, _) = Structured::join(server.local_addr(), "nester");
    for depth in DEPTHS {
        for line in deep_lines(depth) {
            client.0.send_line(&line);
            expect_bad_frame(&mut client);
        }
    }
    client.send(&ClientFrame::Who { room: None });
    let roster = client.expect(|f| matches!(f, ServerFrame::Roster { .. }));
    assert_eq!(
        roster,
        ServerFrame::Roster {
            room: Some("#general".into()),
            names: vec!["nester".into()]
        }
    );
    assert_still_usable(server.local_addr(), &["nester"]);
}

#[test]
fn a_deeply_nested_first_hello_is_refused_and_a_real_one_still_works() {
    let server = start_server(|c| c.flood_rate = 0.0);
    for depth in DEPTHS {
        let mut client = Structured(crate::support::Conn::connect(server.local_addr()));
        let nested = "[".repeat(depth);
        client.0.send_line(&format!(
            r#"{{"type":"hello","version":3,"client":{nested}}}"#
        ));
        expect_bad_frame(&mut client);
        client.send(&ClientFrame::Hello {
            version: chat_shared::PROTOCOL_VERSION,
            client: None,
        });
        client.expect(|f| matches!(f, ServerFrame::Hello { .. }));
    }
    assert_still_usable(server.local_addr(), &[]);
}
