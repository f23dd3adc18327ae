//! Where color carries meaning, the drawn cells have the right style: nick colors,
//! own messages, mentions, private messages, notices, the sidebar's marker and the
//! buffer list's marks.

mod common;

use chat_tui::ui::theme::COLOR;
use common::screens::*;
use common::states::{buffers_unseen, history_gap, history_replayed, search_results};
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

#[test]
fn nicks_mentions_and_own_messages_are_styled_apart() {
    let mut app = new_app((80, 24));
    busy_chat(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();

    let bob = find(&terminal, "<bob> morning");
    let carol = find(&terminal, "<carol> here");
    let bob_color = buffer[(bob.0 + 1, bob.1)].fg;
    let carol_color = buffer[(carol.0 + 1, carol.1)].fg;
    assert_eq!(Some(bob_color), COLOR.nick_color("bob"));
    assert_eq!(Some(carol_color), COLOR.nick_color("carol"));
    assert_ne!(bob_color, carol_color);
    assert!(buffer[(bob.0 + 1, bob.1)].modifier.contains(Modifier::BOLD));

    let own = find(&terminal, "<alice> hi bob");
    assert!(
        buffer[(own.0 + 1, own.1)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let own_text = find(&terminal, "hi bob, hi carol");
    assert_eq!(
        buffer[own_text].fg,
        Color::Reset,
        "the terminal's own color"
    );

    let mention = find(&terminal, "alice: did you");
    assert_eq!(Some(buffer[mention].bg), COLOR.mention.bg);
    let plain = find(&terminal, "morning all");
    assert_eq!(buffer[plain].bg, Color::Reset);

    let joined = find(&terminal, "dave joined");
    assert_eq!(Some(buffer[joined].fg), COLOR.joined.fg);

    alt(&mut app, KeyCode::Char('3'));
    let terminal = draw(&app, (80, 24));
    let private = find(&terminal, "lunch later?");
    assert_eq!(
        Some(terminal.backend().buffer()[private].fg),
        COLOR.private.fg
    );
}

#[test]
fn the_buffer_list_marks_the_shown_buffer_activity_and_mentions() {
    let mut app = new_app((80, 24));
    buffers_unseen(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();
    let general = find(&terminal, "2 #general");
    assert!(buffer[general].modifier.contains(Modifier::REVERSED));
    let dev = find(&terminal, "#dev ");
    assert!(buffer[dev].modifier.contains(Modifier::BOLD), "activity");
    let qa = find(&terminal, "#qa ");
    assert!(
        buffer[qa].modifier.contains(Modifier::BOLD),
        "someone joined"
    );
    let mention = find(&terminal, "!1");
    assert_eq!(Some(buffer[mention].bg), COLOR.mention.bg);
    let server = find(&terminal, "server ");
    assert!(buffer[server].modifier.contains(Modifier::BOLD), "a notice");
}

#[test]
fn the_sidebar_marks_me_and_colors_names() {
    let mut app = new_app((80, 24));
    busy_chat(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();
    let me = find(&terminal, "▸alice");
    assert!(
        buffer[(me.0 + 1, me.1)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let carol = find(&terminal, "│  carol");
    assert_eq!(
        Some(buffer[(carol.0 + 3, carol.1)].fg),
        COLOR.nick_color("carol")
    );
}

#[test]
fn the_cursor_sits_after_the_typed_text() {
    let mut app = new_app((80, 24));
    join_as(&mut app, "alice", &["alice"]);
    type_text(&mut app, "你好");
    let mut terminal = draw(&app, (80, 24));
    terminal.backend_mut().assert_cursor_position((2 + 4, 22));
}

#[test]
fn replayed_history_is_dimmed_its_marks_and_gaps_stand_out_and_a_selected_result_is_reversed() {
    let mut app = new_app((80, 24));
    history_replayed(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();
    let replayed = find(&terminal, "the deploy is at five");
    assert_eq!(Some(buffer[replayed].fg), COLOR.replayed.fg);
    let live = find(&terminal, "welcome back, alice");
    assert_ne!(
        Some(buffer[live].fg),
        COLOR.replayed.fg,
        "live text is not dimmed"
    );
    let mark = find(&terminal, "live from here");
    assert_eq!(Some(buffer[mark].fg), COLOR.history.fg);

    let mut app = new_app((80, 24));
    history_gap(&mut app);
    let terminal = draw(&app, (80, 24));
    let gap = find(&terminal, "some messages could not be recovered");
    assert_eq!(Some(terminal.backend().buffer()[gap].fg), COLOR.gap.fg);

    let mut app = new_app((80, 24));
    search_results(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();
    let selected = find(&terminal, "can you deploy it");
    let other = find(&terminal, "deploy on friday");
    assert!(buffer[selected].modifier.contains(Modifier::REVERSED));
    assert!(!buffer[other].modifier.contains(Modifier::REVERSED));
}
