//! The message pane's content, measured: the blocks a [`View`] moves over (the shown
//! buffer's entries, oldest first, then its messages queued to be sent), each laid out
//! as [`rows`] at the pane's width, and the rows that show for a view. The entry that
//! arrived first since the reader last left the buffer has a marker row above it; the
//! oldest entry of a room's buffer has a row above it saying what lies before it, when
//! that is worth saying (loading, the start of history, a full scrollback); the message
//! a search jumped to is highlighted. The
//! ui only styles and draws those rows, so what the view measures is what is drawn.

pub mod rows;

use super::App;
use super::buffer::Buffer;
use super::buffer::Top;
use super::outbox::Outgoing;
use super::view::{Blocks, View};
use rows::{Row, Tone, TopRow, entry_height, entry_rows, marker_row, queued_rows, top_row};

/// The message pane's blocks at a width.
pub struct PaneBlocks<'a> {
    /// Whose entries and queue.
    app: &'a App,
    /// The buffer shown.
    buffer: &'a Buffer,
    /// Where the marker row goes, if anywhere.
    marker: Option<usize>,
    /// What the row above the oldest entry says, if it is shown.
    top: Option<TopRow>,
    /// The pane's width in columns.
    width: usize,
}

impl<'a> PaneBlocks<'a> {
    /// The blocks of the message pane of `app`'s shown buffer, `width` columns wide.
    pub fn new(app: &'a App, width: u16) -> Self {
        let buffer = app.buffers.current();
        Self {
            app,
            buffer,
            marker: buffer.log.marker(),
            top: top(buffer),
            width: usize::from(width),
        }
    }

    /// The messages queued for this buffer, oldest first.
    fn queued(&self) -> impl Iterator<Item = &'a Outgoing> + use<'a> {
        let kind = &self.buffer.kind;
        self.app
            .outbox
            .queued()
            .filter(move |message| message.belongs_to(kind))
    }

    /// Block `index` as its rows.
    pub fn rows(&self, index: usize) -> Vec<Row<'a>> {
        let entries = self.buffer.log.entries();
        match entries.get(index) {
            Some(entry) => {
                let mut rows = entry_rows(entry, &self.app.config.time_zone, self.width);
                if entry.id.is_some() && entry.id == self.buffer.log.found() {
                    for piece in rows.iter_mut().flatten() {
                        if piece.tone != Tone::Time {
                            piece.tone = Tone::Found;
                        }
                    }
                }
                if self.marker == Some(index) {
                    rows.insert(0, marker_row(self.width));
                }
                if let Some(top) = self.top.filter(|_| index == 0) {
                    rows.insert(0, top_row(top, self.width));
                }
                rows
            }
            None => self
                .queued()
                .nth(index - entries.len())
                .map(|message| queued_rows(message, self.app.me(), self.width))
                .unwrap_or_default(),
        }
    }

    /// The rows a pane `height` rows high shows for `view`, top to bottom: from the
    /// view's bottom row up, laying out only the blocks that show, wherever the view is
    /// in a history of any length. Fewer than `height` when the history is shorter; they
    /// go at the bottom of the pane.
    pub fn visible(&self, view: View, height: usize) -> Vec<Row<'a>> {
        let Some(bottom) = view.bottom_row(self) else {
            return Vec::new();
        };
        let mut hidden = bottom.hidden;
        let mut bottom_up = Vec::with_capacity(height);
        for index in (0..=bottom.block).rev() {
            for row in self.rows(index).into_iter().rev() {
                if hidden > 0 {
                    hidden -= 1;
                } else {
                    bottom_up.push(row);
                }
            }
            if bottom_up.len() >= height {
                break;
            }
        }
        bottom_up.truncate(height);
        bottom_up.reverse();
        bottom_up
    }
}

impl Blocks for PaneBlocks<'_> {
    fn count(&self) -> usize {
        self.buffer.log.entries().len() + self.queued().count()
    }

    fn height(&self, index: usize) -> usize {
        match self.buffer.log.entries().get(index) {
            Some(entry) => {
                entry_height(entry, self.width)
                    + usize::from(self.marker == Some(index))
                    + usize::from(index == 0 && self.top.is_some())
            }
            None => self.rows(index).len(),
        }
    }
}

/// What the row above the oldest entry of `buffer` says: only a room's buffer has one,
/// and only while older messages load, or when none are left to load.
fn top(buffer: &Buffer) -> Option<TopRow> {
    match buffer.as_room()?.top {
        Top::Loading => Some(TopRow::Loading),
        Top::Start => Some(TopRow::Start),
        Top::More if buffer.log.is_full() => Some(TopRow::Full),
        Top::More => None,
    }
}
