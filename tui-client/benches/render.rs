//! How much drawing the chat and handling scroll keys cost with a very long history:
//! 100,000 entries (`--scrollback 100000`) in a 200x60 terminal, the screen the issue's
//! target (≤ 1 ms a frame) is about. Run with `cargo bench -p chat-tui`.
//!
//! The app is driven only through `App::update`, as the real client is: the history
//! comes in as server frames (mixed lengths so that some wrap, CJK, emoji, actions,
//! joins and leaves), the view is moved with the keys a user presses. Frames are drawn
//! into ratatui's `TestBackend` through `Terminal::draw`, which also diffs the buffers,
//! as a frame on a real terminal does.

use std::hint::black_box;

use chat_shared::frame::{LeaveReason, ServerFrame};
use chat_tui::app::{App, Config};
use chat_tui::event::{Event, NetEvent};
use chat_tui::ui;
use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Entries in the history, and the scrollback's cap.
const ENTRIES: usize = 100_000;

/// The terminal's size.
const SIZE: (u16, u16) = (200, 60);

/// Who talks.
const NAMES: [&str; 8] = [
    "bob",
    "carol",
    "dave",
    "erin",
    "frank_the_tank",
    "李雷",
    "zoë",
    "mallory",
];

/// What they say: short and long, some wrapping at 200 columns, wide characters, emoji
/// (a ZWJ sequence too), several lines.
const TEXTS: [&str; 12] = [
    "ok",
    "lol 😂",
    "did anyone look at the build failure on main? it started after the last merge",
    "alice: can you review my change when you have a minute? it touches the parser",
    "今天的会议改到下午三点，请大家准时参加。",
    "here is the long version, because the short one was misunderstood twice already: \
     the cache keeps one entry per key, entries expire after ten minutes, and a miss \
     goes to the database, which is the slow part we keep measuring; the numbers from \
     yesterday were taken with a cold cache, so they overstate the cost by a lot, and \
     we should rerun them before anyone draws conclusions from them 🙏",
    "👨\u{200d}👩\u{200d}👧 family photo time 🎉🎉🎉",
    "first line\nsecond line\nthird line of the same message",
    "брб, через 5 минут вернусь",
    "日本語のテキストも折り返しが必要です。これは長い文章のテストで、画面の幅を超えると\
     次の行に続きます。全角文字は二列を占めるので、幅の計算を間違えると表示が崩れます。\
     もう少し長くして、確実に折り返すようにしましょう。まだ足りないかもしれないので、\
     さらに文章を追加しておきます。",
    "https://example.invalid/a/very/long/link/without/any/spaces/that/has/to/be/broken/between/graphemes/somewhere/along/the/way/because/it/is/longer/than/the/pane",
    "👍",
];

/// The `n`th frame of a plausible, deterministic history.
fn history_frame(n: usize) -> ServerFrame {
    // A fixed pseudo-random walk (an LCG), so that lengths do not repeat in a pattern.
    let mixed = (n as u64)
        .wrapping_mul(6_364_136_223_846_793_005)
        .rotate_right(29) as usize;
    let from = NAMES[mixed % NAMES.len()].to_owned();
    let text = TEXTS[(mixed / 7) % TEXTS.len()].to_owned();
    let time_ms = 1_795_521_600_000 + n as i64 * 1_000;
    let seq = n as u64;
    match mixed % 50 {
        0 => ServerFrame::Joined {
            epoch: 0,
            room: None,
            seq,
            time_ms,
            name: from,
        },
        1 => ServerFrame::Left {
            by: None,
            epoch: 0,
            room: None,
            seq,
            time_ms,
            name: from,
            reason: LeaveReason::Quit,
            message: Some("bye".into()),
        },
        2..=4 => ServerFrame::Action {
            nonce: None,
            epoch: 0,
            room: None,
            seq,
            time_ms,
            from,
            text,
        },
        _ => ServerFrame::Message {
            nonce: None,
            epoch: 0,
            room: None,
            seq,
            time_ms,
            from,
            text,
        },
    }
}

/// Feeds `count` history frames, numbered from `first`.
fn receive(app: &mut App, first: usize, count: usize) {
    for n in first..first + count {
        app.update(Event::Net(NetEvent::Frame(history_frame(n))));
    }
}

/// Presses a key.
fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.update(Event::Key(KeyEvent::new(code, modifiers)));
}

/// A client logged in as alice, with `--scrollback 100000`, in a 200x60 terminal.
fn logged_in() -> App {
    let config = Config {
        server: "127.0.0.1:9999".into(),
        name: Some("alice".into()),
        scrollback: ENTRIES,
        time_zone: TimeZone::UTC,
        color: true,
        password: None,
    };
    let mut app = App::new(config, SIZE);
    app.update(Event::Net(NetEvent::Connected {
        server: "chat-server 0.1.0".into(),
        max_line_bytes: 8192,
        flood: None,
    }));
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    app.update(Event::Net(NetEvent::Frame(ServerFrame::Welcome {
        room: None,
        name: "alice".into(),
        roster: NAMES.iter().map(|name| name.to_string()).collect(),
    })));
    app
}

/// Following new messages at the bottom of a full history.
fn at_bottom() -> App {
    let mut app = logged_in();
    receive(&mut app, 0, ENTRIES);
    app
}

/// Scrolled to the oldest message of a full history.
fn at_top() -> App {
    let mut app = at_bottom();
    key(&mut app, KeyCode::Home, KeyModifiers::CONTROL);
    app
}

/// Reading the middle of a full history: scrolled to the top of half of it, then the
/// other half arrived (a scrolled view stays where it is).
fn in_the_middle() -> App {
    let mut app = logged_in();
    receive(&mut app, 0, ENTRIES / 2);
    key(&mut app, KeyCode::Home, KeyModifiers::CONTROL);
    receive(&mut app, ENTRIES / 2, ENTRIES - ENTRIES / 2);
    app
}

/// Times drawing the whole screen of `app`.
fn bench_frame(group: &mut BenchmarkGroup<WallTime>, name: &str, app: &App) {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    group.bench_function(name, |b| {
        b.iter(|| {
            terminal
                .draw(|frame| ui::render(black_box(app), frame))
                .unwrap();
        })
    });
}

/// Every measurement, on the same three histories (the bottom one also takes the
/// resizes and new messages; the middle one the keys).
fn benchmarks(c: &mut Criterion) {
    let mut bottom = at_bottom();
    let top = at_top();
    let mut middle = in_the_middle();
    let mut group = c.benchmark_group("chat 100k 200x60");
    group.sample_size(30);

    bench_frame(&mut group, "frame at the bottom", &bottom);
    bench_frame(&mut group, "frame in the middle", &middle);
    bench_frame(&mut group, "frame at the top", &top);

    group.bench_function("PgUp then PgDn, in the middle", |b| {
        b.iter(|| {
            key(&mut middle, KeyCode::PageUp, KeyModifiers::NONE);
            key(&mut middle, KeyCode::PageDown, KeyModifiers::NONE);
        })
    });
    group.bench_function("resize to 160x50 and back, at the bottom", |b| {
        b.iter(|| {
            bottom.update(Event::Resize(160, 50));
            bottom.update(Event::Resize(SIZE.0, SIZE.1));
        })
    });
    group.bench_function("resize to 160x50 and back, in the middle", |b| {
        b.iter(|| {
            middle.update(Event::Resize(160, 50));
            middle.update(Event::Resize(SIZE.0, SIZE.1));
        })
    });
    let mut next = ENTRIES;
    group.bench_function("new message, history full", |b| {
        b.iter(|| {
            bottom.update(Event::Net(NetEvent::Frame(history_frame(next))));
            next += 1;
        })
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
