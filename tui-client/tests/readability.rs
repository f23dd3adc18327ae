//! Every screen is readable on light and dark terminals alike. Each character of every
//! state, at every size, is checked against four common terminal profiles (GNOME
//! Terminal's light and dark ones and the older Tango light and dark): its color, as that
//! profile shows it, contrasts at least 3:1 with what is behind it (WCAG's minimum for
//! large text and interface parts; the terminal's own text on its own background is
//! well above it). The colors seen in each profile, with the lowest contrast each has and
//! a sample of text, are a snapshot per profile.
//!
//! Without color (`NO_COLOR`), no cell has a color, and what colors would mark is still
//! marked, by modifiers.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write;

use common::screens::*;
use common::states::{SIZES, STATES};
use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

/// A color as red, green and blue.
type Rgb = [u8; 3];

/// The least contrast a character may have with its background.
const MIN_CONTRAST: f64 = 3.0;

/// A terminal's colors: its default text and background, and the 16 colors it gives
/// the named ones (black, red, ..., bright white).
struct Profile {
    name: &'static str,
    foreground: Rgb,
    background: Rgb,
    palette: [Rgb; 16],
}

/// GNOME Terminal's palette.
const GNOME: [Rgb; 16] = [
    [0x17, 0x14, 0x21],
    [0xc0, 0x1c, 0x28],
    [0x26, 0xa2, 0x69],
    [0xa2, 0x73, 0x4c],
    [0x12, 0x48, 0x8b],
    [0xa3, 0x47, 0xba],
    [0x2a, 0xa1, 0xb3],
    [0xd0, 0xcf, 0xcc],
    [0x5e, 0x5c, 0x64],
    [0xf6, 0x61, 0x51],
    [0x33, 0xda, 0x7a],
    [0xe9, 0xad, 0x0c],
    [0x2a, 0x7b, 0xde],
    [0xc0, 0x61, 0xcb],
    [0x33, 0xc7, 0xde],
    [0xff, 0xff, 0xff],
];

/// The Tango palette (GNOME Terminal's default before the GNOME one).
const TANGO: [Rgb; 16] = [
    [0x2e, 0x34, 0x36],
    [0xcc, 0x00, 0x00],
    [0x4e, 0x9a, 0x06],
    [0xc4, 0xa0, 0x00],
    [0x34, 0x65, 0xa4],
    [0x75, 0x50, 0x7b],
    [0x06, 0x98, 0x9a],
    [0xd3, 0xd7, 0xcf],
    [0x55, 0x57, 0x53],
    [0xef, 0x29, 0x29],
    [0x8a, 0xe2, 0x34],
    [0xfc, 0xe9, 0x4f],
    [0x72, 0x9f, 0xcf],
    [0xad, 0x7f, 0xa8],
    [0x34, 0xe2, 0xe2],
    [0xee, 0xee, 0xec],
];

const PROFILES: [Profile; 4] = [
    Profile {
        name: "gnome_light",
        foreground: [0x17, 0x14, 0x21],
        background: [0xff, 0xff, 0xff],
        palette: GNOME,
    },
    Profile {
        name: "gnome_dark",
        foreground: [0xd0, 0xcf, 0xcc],
        background: [0x17, 0x14, 0x21],
        palette: GNOME,
    },
    Profile {
        name: "tango_light",
        foreground: [0x2e, 0x34, 0x36],
        background: [0xee, 0xee, 0xec],
        palette: TANGO,
    },
    Profile {
        name: "tango_dark",
        foreground: [0xd3, 0xd7, 0xcf],
        background: [0x2e, 0x34, 0x36],
        palette: TANGO,
    },
];

/// A color as the profile shows it; `Reset` is the profile's default.
fn resolve(color: Color, default: Rgb, profile: &Profile) -> Rgb {
    let named = |index: usize| profile.palette[index];
    match color {
        Color::Reset => default,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Indexed(index) => indexed(index, profile),
    }
}

/// One of the 256 colors: the 16 named ones, the 6x6x6 cube, then 24 greys (xterm's).
fn indexed(index: u8, profile: &Profile) -> Rgb {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match index {
        0..=15 => profile.palette[usize::from(index)],
        16..=231 => {
            let cube = usize::from(index - 16);
            [LEVELS[cube / 36], LEVELS[cube / 6 % 6], LEVELS[cube % 6]]
        }
        _ => [8 + 10 * (index - 232); 3],
    }
}

/// WCAG's relative luminance.
fn luminance(rgb: Rgb) -> f64 {
    let channel = |value: u8| {
        let value = f64::from(value) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// WCAG's contrast ratio, from 1 (none) to 21 (black on white).
fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// A cell's text color and background as the profile shows them: reverse video swaps
/// them, and dim text is taken to be halfway to the background.
fn looks(cell: &Cell, profile: &Profile) -> (Rgb, Rgb) {
    let mut text = resolve(cell.fg, profile.foreground, profile);
    let mut back = resolve(cell.bg, profile.background, profile);
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut text, &mut back);
    }
    if cell.modifier.contains(Modifier::DIM) {
        text = [0, 1, 2].map(|i| ((u16::from(text[i]) + u16::from(back[i])) / 2) as u8);
    }
    (text, back)
}

fn hex(rgb: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

#[test]
fn every_character_of_every_screen_is_readable_on_light_and_dark_profiles() {
    for profile in &PROFILES {
        // Each pair of colors seen, and a sample of text seen in it (with a letter, if any).
        let mut seen: BTreeMap<(Rgb, Rgb), String> = BTreeMap::new();
        for (name, build) in STATES {
            for size in SIZES {
                let mut app = new_app(size);
                build(&mut app);
                let terminal = draw(&app, size);
                let buffer = terminal.backend().buffer();
                for y in 0..buffer.area.height {
                    let mut runs: Vec<((Rgb, Rgb), String)> = Vec::new();
                    for x in 0..buffer.area.width {
                        let cell = &buffer[(x, y)];
                        let colors = looks(cell, profile);
                        match runs.last_mut() {
                            Some((last, text)) if *last == colors => text.push_str(cell.symbol()),
                            _ => runs.push((colors, cell.symbol().to_owned())),
                        }
                    }
                    for ((text_color, back), text) in runs {
                        let text = text.trim();
                        if text.is_empty() {
                            continue;
                        }
                        let ratio = contrast(text_color, back);
                        assert!(
                            ratio >= MIN_CONTRAST,
                            "{}: {name} at {size:?}: {text:?} is {} on {}, contrast {ratio:.2}",
                            profile.name,
                            hex(text_color),
                            hex(back),
                        );
                        let sample: String = text.chars().take(24).collect();
                        let sample = sample.trim_end();
                        let kept = seen.entry((text_color, back)).or_default();
                        if !kept.contains(char::is_alphanumeric) {
                            *kept = sample.to_owned();
                        }
                    }
                }
            }
        }
        let mut pairs: Vec<_> = seen.into_iter().collect();
        pairs.sort_by(|a, b| contrast(a.0.0, a.0.1).total_cmp(&contrast(b.0.0, b.0.1)));
        let mut report = String::new();
        for ((text_color, back), sample) in pairs {
            let ratio = contrast(text_color, back);
            writeln!(
                report,
                "{ratio:5.2}  {} on {}  {sample}",
                hex(text_color),
                hex(back)
            )
            .unwrap();
        }
        insta::assert_snapshot!(format!("contrast_{}", profile.name), report);
    }
}

#[test]
fn without_color_nothing_is_colored_and_emphasis_stays() {
    for (name, build) in STATES {
        for size in SIZES {
            let mut app = new_mono_app(size);
            build(&mut app);
            let terminal = draw(&app, size);
            for cell in terminal.backend().buffer().content() {
                assert_eq!(
                    (cell.fg, cell.bg),
                    (Color::Reset, Color::Reset),
                    "{name} at {size:?}: {:?} is colored",
                    cell.symbol()
                );
            }
        }
    }
    let mut app = new_mono_app((80, 24));
    busy_chat(&mut app);
    let terminal = draw(&app, (80, 24));
    let buffer = terminal.backend().buffer();
    let modifier_at = |text: &str| {
        let (x, y) = find(&terminal, text);
        buffer[(x, y)].modifier
    };
    assert!(modifier_at("alice: did you").contains(Modifier::UNDERLINED | Modifier::BOLD));
    assert!(modifier_at("alice> hi bob").contains(Modifier::REVERSED));
    assert!(modifier_at("connected").contains(Modifier::REVERSED));
    assert!(modifier_at("bob> morning").contains(Modifier::BOLD));
    assert!(modifier_at("12:01").contains(Modifier::DIM));
}
