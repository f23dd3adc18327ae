//! Fuzzes plain mode, the mode a person with `nc` types in: `plain::parse` on any line,
//! and `plain::render` of every frame that carries user text.
//!
//! Checked on every input: no panic; `parse` makes of a line exactly what the grammar
//! says (see `parse_checks`), and never lets a password show (not in a request's `Debug`,
//! not in the refusal of a password command); and once text went through
//! `sanitize_text`, what is rendered is well formed and unforgeable (see
//! `render_checks`).

#![no_main]

#[path = "plain_parser/frames.rs"]
mod frames;
#[path = "plain_parser/parse_checks.rs"]
mod parse_checks;
#[path = "plain_parser/render_checks.rs"]
mod render_checks;

use chat_server::plain::{render, render_elsewhere};
use chat_shared::text::sanitize_text;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, i64, &str)| {
    let (joined, time_ms, line) = input;
    parse_checks::check_parse(line, joined);
    let text = sanitize_text(line);
    for frame in frames::frames_carrying(&text, time_ms) {
        render_checks::check_rendered(&frame, &render(&frame, &TimeZone::UTC));
        render_checks::check_rendered(&frame, &render_elsewhere(&frame, &TimeZone::UTC));
    }
});
