//! Every frame kind whose plain rendering shows user text, with that text in it: what
//! users say, the reasons they give when leaving, topics, the reasons operators give for
//! kicks, bans and mutes, search words and what was found, history, and the server's
//! own texts that may quote users.
//!
//! Text that the server keeps on one line (reasons, topics) is given here with its line
//! breaks all the same, so that the renderers are checked to keep such notices on one
//! line by themselves.

use chat_shared::frame::{
    BanInfo, ErrorCode, EventId, HistoryReason, LeaveReason, RoomInfo, SearchMatch, ServerFrame,
};

const ROOM: &str = "#general";

/// Every frame kind whose rendering includes user text, filled with `text`.
pub fn frames_carrying(text: &str, time_ms: i64) -> Vec<ServerFrame> {
    let name = || "someone".to_owned();
    let room = || Some(ROOM.to_owned());
    let said = ServerFrame::Message {
        epoch: 1,
        seq: 1,
        time_ms,
        from: name(),
        text: text.to_owned(),
        nonce: None,
        room: room(),
    };
    let acted = ServerFrame::Action {
        epoch: 1,
        seq: 2,
        time_ms,
        from: name(),
        text: text.to_owned(),
        nonce: None,
        room: room(),
    };
    let left = |seq, reason, by: Option<String>| ServerFrame::Left {
        epoch: 1,
        seq,
        time_ms,
        name: name(),
        reason,
        message: Some(text.to_owned()),
        by,
        room: room(),
    };
    let mute = |seq, until_ms: Option<i64>| ServerFrame::Mute {
        epoch: 1,
        seq,
        time_ms,
        name: name(),
        by: "root_op".to_owned(),
        until_ms,
        reason: Some(text.to_owned()),
        room: ROOM.to_owned(),
    };
    vec![
        said.clone(),
        acted.clone(),
        ServerFrame::Private {
            time_ms,
            from: name(),
            to: name(),
            text: text.to_owned(),
            nonce: None,
        },
        left(3, LeaveReason::Quit, None),
        left(4, LeaveReason::Parted, None),
        left(5, LeaveReason::Kicked, Some("root_op".to_owned())),
        left(6, LeaveReason::Banned, Some("root_op".to_owned())),
        ServerFrame::Topic {
            epoch: 1,
            seq: 7,
            time_ms,
            by: name(),
            text: text.to_owned(),
            room: ROOM.to_owned(),
        },
        mute(8, Some(time_ms.saturating_add(600_000))),
        mute(9, None),
        ServerFrame::Entered {
            room: ROOM.to_owned(),
            topic: Some(text.to_owned()),
            roster: vec![name()],
        },
        ServerFrame::RoomList {
            rooms: vec![RoomInfo {
                name: ROOM.to_owned(),
                members: 1,
                topic: Some(text.to_owned()),
            }],
        },
        ServerFrame::BanList {
            bans: vec![BanInfo {
                target: "mallory".to_owned(),
                by: "root_op".to_owned(),
                since_ms: time_ms,
                until_ms: Some(time_ms.saturating_add(600_000)),
                reason: Some(text.to_owned()),
            }],
        },
        ServerFrame::SearchResults {
            words: text.to_owned(),
            matches: vec![
                SearchMatch {
                    room: room(),
                    with: None,
                    id: EventId { epoch: 1, seq: 1 },
                    time_ms,
                    from: name(),
                    text: text.to_owned(),
                },
                SearchMatch {
                    room: None,
                    with: Some(name()),
                    id: EventId { epoch: 0, seq: 0 },
                    time_ms,
                    from: name(),
                    text: text.to_owned(),
                },
            ],
        },
        ServerFrame::History {
            room: ROOM.to_owned(),
            epoch: 1,
            reason: HistoryReason::Resume,
            events: vec![said, acted],
            complete: false,
            more: true,
        },
        ServerFrame::NameRejected {
            name: text.to_owned(),
            code: ErrorCode::NameInvalid,
            message: text.to_owned(),
        },
        ServerFrame::Error {
            code: ErrorCode::NoSuchUser,
            message: text.to_owned(),
        },
        ServerFrame::Notice {
            text: text.to_owned(),
        },
        ServerFrame::Account {
            name: name(),
            registered: true,
            message: text.to_owned(),
        },
        ServerFrame::Shutdown {
            message: text.to_owned(),
            retry_within_ms: None,
        },
    ]
}
