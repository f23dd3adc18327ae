//! Snapshots of every screen and state, drawn into ratatui's `TestBackend` at 80x24, a
//! wide 120x40 and a narrow 50x20 terminal. (Styles are checked in `styles.rs`.)

mod common;

use chat_tui::app::App;
use chat_tui::event::Event;
use common::screens::*;
use common::states::{SIZES, STATES};

/// Builds the state at each size and compares the drawing with its snapshot.
fn snapshot_at_every_size(name: &str, build: impl Fn(&mut App)) {
    for size in SIZES {
        let mut app = new_app(size);
        build(&mut app);
        let terminal = draw(&app, size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), terminal.backend());
    }
}

#[test]
fn every_state_at_every_size() {
    for (name, build) in STATES {
        snapshot_at_every_size(name, build);
    }
}

#[test]
fn too_small_terminals_show_a_short_message() {
    let mut chat = new_app((29, 5));
    join_as(&mut chat, "alice", &["alice"]);
    insta::assert_snapshot!("too_small_chat_29x5", draw(&chat, (29, 5)).backend());
    let login = new_app((40, 8));
    insta::assert_snapshot!("too_small_login_40x8", draw(&login, (40, 8)).backend());
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let mut app = new_app((80, 24));
    busy_chat(&mut app);
    assert!(app.update(Event::Resize(50, 20)).redraw);
    insta::assert_snapshot!("resized_to_50x20", draw(&app, (50, 20)).backend());
}
