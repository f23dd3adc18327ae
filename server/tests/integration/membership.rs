//! Joining, leaving, renaming and listing: who is online, and everyone told exactly once.

use chat_shared::frame::{ClientFrame, ErrorCode, LeaveReason, ServerFrame};

use crate::support::{Plain, Structured, start_server};

#[test]
fn a_newcomer_gets_the_full_roster_and_the_others_a_join_notice() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut zoe, roster) = Structured::join(addr, "Zoë");
    assert_eq!(roster, ["Zoë"]);
    let mut bob = Plain::join(addr, "bob");
    let (_carol, roster) = Structured::join(addr, "carol");
    assert_eq!(roster, ["bob", "carol", "Zoë"]);
    assert!(matches!(
        zoe.expect(|f| matches!(f, ServerFrame::Joined { name, .. } if name == "carol")),
        ServerFrame::Joined { .. }
    ));
    let line = bob.expect("carol joined");
    assert!(
        line.starts_with('[') && line.ends_with("] -!- carol joined"),
        "{line}"
    );
}

#[test]
fn an_abrupt_close_is_announced_once_as_connection_lost() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let mut plain_watcher = Plain::join(addr, "plainwatcher");
    let (gone, _) = Structured::join(addr, "gone");
    drop(gone);
    let left = watcher.expect(|f| matches!(f, ServerFrame::Left { .. }));
    assert!(matches!(
        left,
        ServerFrame::Left { ref name, reason: LeaveReason::ConnectionLost, message: None, .. } if name == "gone"
    ));
    plain_watcher.expect("-!- gone left (connection lost)");

    // Exactly once: the next room event is a later message, with no second notice between.
    let mut speaker = Plain::join(addr, "speaker");
    speaker.say("after");
    let next = watcher.expect(|f| !matches!(f, ServerFrame::Joined { .. }));
    assert!(
        matches!(next, ServerFrame::Message { ref text, .. } if text == "after"),
        "{next:?}"
    );
}

#[test]
fn quitting_with_a_reason_tells_everyone_the_reason() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let mut dave = Plain::join(addr, "dave");
    dave.say("/quit see you");
    dave.expect("* Bye!");
    dave.0.expect_closed();
    let left = watcher.expect(|f| matches!(f, ServerFrame::Left { .. }));
    assert!(matches!(
        left,
        ServerFrame::Left { reason: LeaveReason::Quit, message: Some(ref m), .. } if m == "see you"
    ));
    let (mut eve, _) = Structured::join(addr, "eve");
    eve.send(&ClientFrame::Quit { reason: None });
    eve.0.expect_closed();
    assert!(matches!(
        watcher.expect(|f| matches!(f, ServerFrame::Left { .. })),
        ServerFrame::Left {
            reason: LeaveReason::Quit,
            message: None,
            ..
        }
    ));
}

#[test]
fn renaming_is_announced_and_keeps_names_unique() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut alice, _) = Structured::join(addr, "alice");
    let mut bob = Plain::join(addr, "bob");
    bob.say("/nick ALICE");
    assert_eq!(bob.expect_error(), "! The name \"ALICE\" is taken");
    bob.say("/nick robert");
    bob.expect("-!- bob is now known as robert");
    assert!(matches!(
        alice.expect(|f| matches!(f, ServerFrame::Renamed { .. })),
        ServerFrame::Renamed { ref old, ref new, .. } if old == "bob" && new == "robert"
    ));
    alice.send(&ClientFrame::Nick {
        name: "Alice".into(),
    });
    assert!(matches!(
        alice.expect(|f| matches!(f, ServerFrame::Renamed { .. })),
        ServerFrame::Renamed { ref new, .. } if new == "Alice"
    ));
    let mut newcomer = Plain::connect(addr);
    newcomer.say("bob");
    newcomer.expect("* Welcome, bob! 3 online: Alice, bob, robert");
}

#[test]
fn who_lists_everyone_online_in_both_modes() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut structured, _) = Structured::join(addr, "zed");
    let mut plain = Plain::join(addr, "amy");
    plain.say("/who");
    assert_eq!(plain.expect("* In #general"), "* In #general (2): amy, zed");
    structured.send(&ClientFrame::Who { room: None });
    assert_eq!(
        structured.expect(|f| matches!(f, ServerFrame::Roster { .. })),
        ServerFrame::Roster {
            room: Some("#general".into()),
            names: vec!["amy".into(), "zed".into()]
        }
    );
}

#[test]
fn private_messages_reach_only_their_receiver_and_confirm_to_the_sender() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut alice, _) = Structured::join(addr, "alice");
    let mut bob = Plain::join(addr, "bob");
    let mut carol = Plain::join(addr, "carol");
    bob.say("/msg ALICE psst");
    bob.expect("*bob -> alice* psst");
    assert!(matches!(
        alice.expect(|f| matches!(f, ServerFrame::Private { .. })),
        ServerFrame::Private { ref from, ref to, ref text, .. }
            if from == "bob" && to == "alice" && text == "psst"
    ));
    alice.send(&ClientFrame::Msg {
        nonce: None,
        to: "nobody".into(),
        text: "hi".into(),
    });
    assert!(matches!(
        alice.expect(|f| matches!(f, ServerFrame::Error { .. })),
        ServerFrame::Error {
            code: ErrorCode::NoSuchUser,
            ..
        }
    ));
    // carol's next line is bob's public message, not the private one.
    bob.say("public");
    assert!(carol.expect("bob").ends_with("<bob> public"));
}

#[test]
fn renaming_to_the_same_name_changes_nothing_and_tells_nobody() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let (mut watcher, _) = Structured::join(addr, "watcher");
    let mut bob = Plain::join(addr, "bob");
    bob.say("/nick bob");
    bob.expect("* You are already called bob.");
    bob.say("after");
    assert!(matches!(
        watcher.expect(|f| !matches!(f, ServerFrame::Joined { .. })),
        ServerFrame::Message { ref text, .. } if text == "after"
    ));
}
