//! The message pane: the rows [`PaneBlocks`] says show for the reader's place, styled by
//! what each piece is, at the bottom of the pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::app::App;
use crate::app::pane::PaneBlocks;
use crate::app::pane::rows::Row;

/// Draws the visible part of the history.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = PaneBlocks::new(app, area.width).visible(app.log().view(), usize::from(area.height));
    let top = area.bottom() - rows.len() as u16;
    for (offset, row) in rows.iter().enumerate() {
        frame
            .buffer_mut()
            .set_line(area.x, top + offset as u16, &line(row, theme), area.width);
    }
}

/// A row as a styled line.
fn line<'a>(row: &'a Row, theme: &Theme) -> Line<'a> {
    row.iter()
        .map(|piece| Span::styled(piece.text.as_ref(), theme.tone(piece.tone)))
        .collect()
}
