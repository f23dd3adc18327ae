//! What a plain-mode reader may see of a frame that carries user text.
//!
//! Rendered output is whole `\r\n`-terminated lines without any other control character;
//! a line reads as a room notice (the time, maybe a room, then `-!-`) if and only if the
//! frame is one; one-line fields (reasons, topics, list entries) take exactly one line
//! whatever they hold; and where user text is shown among the server's words, no run of
//! blanks is left that could push a forged line onto a row of its own.

use chat_server::plain::NOTICE_MARK;
use chat_shared::frame::ServerFrame;

/// Checks `rendered`, the plain rendering of `frame`.
pub fn check_rendered(frame: &ServerFrame, rendered: &[u8]) {
    let rendered = std::str::from_utf8(rendered).expect("render produces UTF-8");
    let body = rendered
        .strip_suffix("\r\n")
        .unwrap_or_else(|| panic!("{frame:?} rendered without a final CRLF: {rendered:?}"));
    let lines: Vec<&str> = body.split("\r\n").collect();
    let notice = matches!(
        frame,
        ServerFrame::Left { .. } | ServerFrame::Topic { .. } | ServerFrame::Mute { .. }
    );
    for line in &lines {
        assert!(
            !line.chars().any(char::is_control),
            "{frame:?} rendered a control character: {line:?}"
        );
        assert_eq!(
            reads_as_notice(line),
            notice,
            "{frame:?} rendered {line:?}, a notice is {notice}"
        );
        if collapses_blanks(frame) {
            let shown = line.strip_prefix("*   ").unwrap_or(line);
            assert!(
                !shown
                    .chars()
                    .zip(shown.chars().skip(1))
                    .any(|(a, b)| a.is_whitespace() && b.is_whitespace()),
                "a run of blanks: {line:?}"
            );
        }
    }
    if let Some(expected) = line_count(frame) {
        assert_eq!(lines.len(), expected, "{frame:?} rendered {lines:?}");
    }
}

/// Whether `line` looks like a room notice: `[12:04] -!- ...`, or with the room
/// after the time, `[12:04] #dev -!- ...`.
fn reads_as_notice(line: &str) -> bool {
    let Some((_, after_time)) = line
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
    else {
        return false;
    };
    let after_room = match after_time.split_once(' ') {
        Some((room, rest)) if room.starts_with('#') => rest,
        _ => after_time,
    };
    after_room.starts_with(NOTICE_MARK)
}

/// Frames whose user text has its runs of blanks collapsed: all but the server's own
/// texts, which are shown as written.
fn collapses_blanks(frame: &ServerFrame) -> bool {
    !matches!(
        frame,
        ServerFrame::NameRejected { .. }
            | ServerFrame::Error { .. }
            | ServerFrame::Notice { .. }
            | ServerFrame::Account { .. }
            | ServerFrame::Shutdown { .. }
    )
}

/// How many lines `frame` renders as, where that follows from its text alone: one per
/// line of a user's text, one per notice, one per list entry.
fn line_count(frame: &ServerFrame) -> Option<usize> {
    let text_lines = |text: &str| text.split('\n').count();
    match frame {
        ServerFrame::Message { text, .. }
        | ServerFrame::Action { text, .. }
        | ServerFrame::Private { text, .. } => Some(text_lines(text)),
        ServerFrame::Left { .. } | ServerFrame::Topic { .. } | ServerFrame::Mute { .. } => Some(1),
        ServerFrame::Entered { topic, .. } => Some(1 + usize::from(topic.is_some())),
        ServerFrame::RoomList { rooms } => Some(1 + rooms.len()),
        ServerFrame::BanList { bans } => Some(1 + bans.len()),
        ServerFrame::SearchResults { matches, .. } => Some(
            1 + matches
                .iter()
                .map(|found| text_lines(&found.text))
                .sum::<usize>(),
        ),
        _ => None,
    }
}
