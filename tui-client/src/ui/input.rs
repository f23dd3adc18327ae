//! The input line (and the rule above it, which carries the new-messages marker on the
//! left and, while a long paste goes out at the server's pace, how many of its messages
//! are left to send on the right), and the horizontally scrolling text field it shares
//! with the login form.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use unicode_segmentation::UnicodeSegmentation;

use super::theme::Theme;
use crate::app::App;
use crate::app::input::InputLine;
use crate::wrap::grapheme_width;

/// How a line break typed or pasted into the line is shown.
const LINE_BREAK_SYMBOL: &str = "⏎";

/// Draws the rule and the input line, and places the cursor in it.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let (scrolled, unread) = app.scroll_state();
    let mut rule = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.chrome);
    if scrolled {
        let marker = match unread {
            0 => " ↓ more below (End) ".to_owned(),
            1 => " ↓ 1 new message (End) ".to_owned(),
            n => format!(" ↓ {n} new messages (End) "),
        };
        rule = rule.title(Span::styled(marker, theme.key));
    }
    let waiting = app.waiting_to_send();
    if waiting > 0 {
        let count = match waiting {
            1 => " 1 message left to send ".to_owned(),
            n => format!(" {n} messages left to send "),
        };
        rule = rule.title(Line::from(Span::styled(count, theme.pending)).right_aligned());
    }
    let line_area = rule.inner(area);
    frame.render_widget(rule, area);
    let cursor = match app.secret_prompt() {
        Some(prompt) => field(
            theme,
            frame,
            line_area,
            &prompt.field.masked(),
            prompt.label(),
        ),
        None => field(theme, frame, line_area, &app.input, "> "),
    };
    if !app.help_open() {
        frame.set_cursor_position(cursor);
    }
}

/// Draws `prompt` and the part of `line` around its cursor that fits in `area` (one
/// row); returns where the cursor is. When the text is scrolled, the prompt becomes `«`.
pub fn field(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    line: &InputLine,
    prompt: &str,
) -> Position {
    let room = usize::from(area.width).saturating_sub(prompt.chars().count() + 1);
    let (start, visible, cursor_column) = window(line, room);
    let prompt = if start > 0 { "« " } else { prompt };
    let prompt_width = prompt.chars().count();
    let spans = vec![
        Span::styled(prompt.to_owned(), theme.chrome),
        Span::raw(visible),
    ];
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &Line::from(spans), area.width);
    Position::new(area.x + (prompt_width + cursor_column) as u16, area.y)
}

/// The graphemes of the line shown, the shown text and the cursor's column in it: the
/// window is the smallest scroll that keeps the cursor within `room` columns.
fn window(line: &InputLine, room: usize) -> (usize, String, usize) {
    let graphemes: Vec<(usize, &str)> = line
        .text()
        .grapheme_indices(true)
        .map(|(index, grapheme)| {
            (
                index,
                if grapheme == "\n" {
                    LINE_BREAK_SYMBOL
                } else {
                    grapheme
                },
            )
        })
        .collect();
    let cursor_index = graphemes
        .iter()
        .position(|(index, _)| *index >= line.cursor())
        .unwrap_or(graphemes.len());
    let mut start = cursor_index;
    let mut before_cursor = 0;
    while start > 0 && before_cursor + grapheme_width(graphemes[start - 1].1) <= room {
        start -= 1;
        before_cursor += grapheme_width(graphemes[start].1);
    }
    let mut visible = String::new();
    let mut used = 0;
    for (_, grapheme) in &graphemes[start..] {
        let columns = grapheme_width(grapheme);
        if used + columns > room {
            break;
        }
        visible.push_str(grapheme);
        used += columns;
    }
    (start, visible, before_cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_shown_whole_with_the_cursor_after_it() {
        let line = InputLine::with_text("hello");
        assert_eq!(window(&line, 20), (0, "hello".to_owned(), 5));
    }

    #[test]
    fn long_text_scrolls_to_keep_the_cursor_in_view() {
        let line = InputLine::with_text("abcdefghij");
        assert_eq!(window(&line, 4), (6, "ghij".to_owned(), 4));
        let mut line = line;
        line.home();
        assert_eq!(window(&line, 4), (0, "abcd".to_owned(), 0));
    }

    #[test]
    fn wide_characters_and_line_breaks_are_measured_as_shown() {
        let line = InputLine::with_text("你好\n世界");
        assert_eq!(window(&line, 5), (2, "⏎世界".to_owned(), 5));
    }
}
