//! The rows the message pane shows, laid out from the view's anchor, are the whole
//! history laid out and cut at the same place, wherever the reader goes and whatever
//! happens meanwhile: new messages, the cap forgetting old ones, resizes, messages queued
//! and sent, `/clear`.

use crossterm::event::{MouseEvent, MouseEventKind};
use proptest::prelude::*;

use super::*;
use crate::app::pane::PaneBlocks;
use crate::app::pane::rows::Row;
use crate::app::view::Blocks;

/// Texts of every shape: short, wrapping, wide characters, several lines.
const TEXTS: [&str; 5] = [
    "hi",
    "a message long enough to wrap over two or three lines in a narrow terminal, at least",
    "你好世界，这是一条很长的消息，需要折行显示在窄的终端里面",
    "one\ntwo\nthree",
    "👨\u{200d}👩\u{200d}👧 🎉",
];

/// The rows the message pane shows, laid out from the view's anchor.
fn shown(app: &App) -> Vec<Row<'_>> {
    let pane = app.message_pane();
    PaneBlocks::new(app, pane.width).visible(app.log().view(), usize::from(pane.height))
}

/// The rows cut out of every block laid out: those above the view's bottom row, as many
/// as fit in the pane.
fn expected(app: &App) -> Vec<Row<'_>> {
    let pane = app.message_pane();
    let blocks = PaneBlocks::new(app, pane.width);
    let all: Vec<Row> = (0..blocks.count()).flat_map(|i| blocks.rows(i)).collect();
    let below = match app.log().view() {
        View::Following => 0,
        View::Scrolled(at) => {
            let after: usize = (at.block + 1..blocks.count())
                .map(|i| blocks.height(i))
                .sum();
            after + at.hidden
        }
    };
    let end = all.len() - below;
    all[end.saturating_sub(usize::from(pane.height))..end].to_vec()
}

/// What the reader or the network does.
#[derive(Debug, Clone)]
enum Step {
    Message(usize),
    Burst(usize),
    Key(KeyCode, KeyModifiers),
    Wheel(bool),
    Resize(u16, u16),
    /// Sends a message, which stays unconfirmed.
    Send(usize),
    Disconnect,
    Reconnect,
    Clear,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..TEXTS.len()).prop_map(Step::Message),
        1 => (1usize..60).prop_map(Step::Burst),
        2 => Just(Step::Key(KeyCode::PageUp, KeyModifiers::NONE)),
        1 => Just(Step::Key(KeyCode::PageDown, KeyModifiers::NONE)),
        1 => Just(Step::Key(KeyCode::Home, KeyModifiers::CONTROL)),
        1 => Just(Step::Key(KeyCode::End, KeyModifiers::NONE)),
        2 => any::<bool>().prop_map(Step::Wheel),
        1 => prop_oneof![Just((80, 24)), Just((50, 20)), Just((120, 40)), Just((35, 8))]
            .prop_map(|(columns, rows)| Step::Resize(columns, rows)),
        1 => (0..TEXTS.len()).prop_map(Step::Send),
        1 => Just(Step::Disconnect),
        1 => Just(Step::Reconnect),
        1 => Just(Step::Clear),
    ]
}

fn take(app: &mut App, step: Step) {
    match step {
        Step::Message(text) => {
            frame(app, message("bob", TEXTS[text]));
        }
        Step::Burst(count) => {
            for n in 0..count {
                frame(app, message("carol", TEXTS[n % TEXTS.len()]));
            }
        }
        Step::Key(code, modifiers) => {
            app.update(Event::Key(KeyEvent::new(code, modifiers)));
        }
        Step::Wheel(up) => {
            let kind = if up {
                MouseEventKind::ScrollUp
            } else {
                MouseEventKind::ScrollDown
            };
            app.update(Event::Mouse(MouseEvent {
                kind,
                column: 0,
                row: 0,
                modifiers: KeyModifiers::NONE,
            }));
        }
        Step::Resize(columns, rows) => {
            app.update(Event::Resize(columns, rows));
        }
        Step::Send(text) => {
            app.input.set(TEXTS[text]);
            press(app, KeyCode::Enter);
        }
        Step::Disconnect => {
            disconnected(app);
        }
        Step::Reconnect => {
            connected(app);
            welcome(app, "alice", &["alice", "bob", "carol"]);
        }
        Step::Clear => {
            app.input.set("/clear");
            press(app, KeyCode::Enter);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_pane_is_the_history_cut_at_the_view(steps in proptest::collection::vec(step(), 1..50)) {
        let mut app = logged_in();
        for step in steps {
            take(&mut app, step.clone());
            prop_assert_eq!(shown(&app), expected(&app), "after {:?}", step);
        }
    }
}

#[test]
fn a_resize_keeps_the_message_on_the_bottom_row() {
    let mut app = logged_in();
    for n in 0..40 {
        frame(&mut app, message("bob", &format!("{n} {}", TEXTS[1])));
    }
    press(&mut app, KeyCode::PageUp);
    let View::Scrolled(before) = app.log().view() else {
        panic!("scrolled up");
    };
    app.update(Event::Resize(50, 20));
    let View::Scrolled(after) = app.log().view() else {
        panic!("still scrolled up");
    };
    assert_eq!(after.block, before.block);
}

#[test]
fn a_scrolled_view_at_the_cap_keeps_its_lines_while_old_ones_are_forgotten() {
    let mut app = logged_in();
    for n in 0..150 {
        frame(&mut app, message("bob", &n.to_string()));
    }
    press(&mut app, KeyCode::PageUp);
    let bottom_row = |app: &App| match app.log().view() {
        View::Scrolled(at) => app.log().entries()[at.block].clone(),
        View::Following => panic!("scrolled up"),
    };
    let shown = bottom_row(&app);
    for n in 150..160 {
        frame(&mut app, message("bob", &n.to_string()));
    }
    assert_eq!(bottom_row(&app), shown);
    assert_eq!(app.scroll_state(), (true, 10));
}
