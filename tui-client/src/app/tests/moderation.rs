//! Moderation as the client sees it: the commands go to the server as frames, kicks,
//! bans and mutes show in their rooms, `/bans` in the server's buffer, and a kick or a
//! ban stops the reconnecting until the user asks.

use super::*;
use crate::app::buffers::SERVER;

#[test]
fn moderation_commands_become_frames_with_durations_in_seconds() {
    let mut app = logged_in();
    for (line, wanted) in [
        (
            "/kick bob spam",
            ClientFrame::Kick {
                name: "bob".into(),
                reason: Some("spam".into()),
            },
        ),
        (
            "/mute bob 2h",
            ClientFrame::Mute {
                name: "bob".into(),
                duration_s: Some(7200),
                reason: None,
            },
        ),
        (
            "/ban 10.0.0.0/8 1d abuse",
            ClientFrame::Ban {
                target: "10.0.0.0/8".into(),
                duration_s: Some(86_400),
                reason: Some("abuse".into()),
            },
        ),
        (
            "/unban bob",
            ClientFrame::Unban {
                target: "bob".into(),
            },
        ),
        ("/unmute bob", ClientFrame::Unmute { name: "bob".into() }),
        ("/bans", ClientFrame::Bans),
    ] {
        type_text(&mut app, line);
        assert_eq!(sent(&press(&mut app, KeyCode::Enter)), [wanted], "{line}");
    }
}

#[test]
fn kicks_bans_and_mutes_show_in_their_room_with_who_and_why() {
    let mut app = logged_in();
    frame(
        &mut app,
        frame_left("carol", LeaveReason::Kicked, Some("root_op")),
    );
    assert_eq!(
        last_entry(&app),
        EntryKind::Left {
            name: "carol".into(),
            reason: LeaveReason::Kicked,
            message: Some("spam".into()),
            by: Some("root_op".into()),
        }
    );
    frame(
        &mut app,
        ServerFrame::Mute {
            epoch: 7,
            seq: next_seq(),
            time_ms: 1_000,
            name: "dave".into(),
            by: "root_op".into(),
            until_ms: Some(601_000),
            reason: Some("calm \u{1b}[31mdown".into()),
            room: "#general".into(),
        },
    );
    assert_eq!(
        last_entry(&app),
        EntryKind::Muted {
            name: "dave".into(),
            by: "root_op".into(),
            lasting: Some(Duration::from_secs(600)),
            reason: Some("calm down".into()),
        }
    );
}

#[test]
fn the_list_of_bans_shows_in_the_servers_buffer() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::BanList {
            bans: vec![chat_shared::frame::BanInfo {
                target: "203.0.113.0/24".into(),
                by: "root_op".into(),
                since_ms: 0,
                until_ms: None,
                reason: Some("abuse".into()),
            }],
        },
    );
    assert_eq!(app.buffers().current_index(), SERVER);
    assert_eq!(
        last_entry(&app),
        EntryKind::Info("Bans (1):\n  203.0.113.0/24 for ever, by root_op: abuse".into())
    );
}

#[test]
fn a_kick_stops_reconnecting_until_the_user_asks_and_says_why() {
    let mut app = logged_in();
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::Kicked,
            message: "You were kicked by root_op: spam".into(),
        },
    );
    net(
        &mut app,
        NetEvent::Removed {
            reason: "You were kicked by root_op: spam".into(),
        },
    );
    assert_eq!(
        *app.connection(),
        Connection::Removed {
            reason: "You were kicked by root_op: spam".into()
        }
    );
    assert!(!app.wants_ticks(), "no countdown: nothing comes by itself");
    let EntryKind::Error(told) = last_entry(&app) else {
        panic!("{:?}", last_entry(&app));
    };
    assert!(
        told.starts_with("Disconnected: You were kicked by root_op: spam."),
        "{told}"
    );
    assert!(told.contains("Ctrl-R"), "{told}");
    assert_eq!(ctrl(&mut app, 'r').effects, [Effect::RetryNow]);
}

#[test]
fn a_banned_address_refused_at_the_name_form_says_why() {
    let mut app = new_app();
    net(
        &mut app,
        NetEvent::Removed {
            reason: "refused by the server: 127.0.0.1 is banned for ever (by root_op)".into(),
        },
    );
    assert_eq!(app.screen(), Screen::Login);
    assert!(
        app.login
            .rejection
            .as_deref()
            .unwrap()
            .contains("is banned")
    );
}

fn frame_left(name: &str, reason: LeaveReason, by: Option<&str>) -> ServerFrame {
    ServerFrame::Left {
        epoch: 7,
        seq: next_seq(),
        time_ms: 0,
        name: name.into(),
        reason,
        message: Some("spam".into()),
        by: by.map(str::to_owned),
        room: Some("#general".into()),
    }
}

#[test]
fn a_message_refused_as_muted_is_no_longer_in_flight() {
    let mut app = logged_in();
    type_text(&mut app, "hello?");
    let update = press(&mut app, KeyCode::Enter);
    assert_eq!(sent(&update).len(), 1);
    assert_eq!(app.outbox.in_flight(), 1);
    frame(
        &mut app,
        ServerFrame::Error {
            code: ErrorCode::Muted,
            message: "You are muted for 9m 30s more (by root_op).".into(),
        },
    );
    assert_eq!(app.outbox.in_flight(), 0);
    assert_eq!(
        last_entry(&app),
        EntryKind::Error("You are muted for 9m 30s more (by root_op).".into())
    );
}
