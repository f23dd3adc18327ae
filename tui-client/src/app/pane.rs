//! The message pane's content, measured: the blocks a [`View`] moves over (the entries,
//! oldest first, then the messages queued to be sent), each laid out as [`rows`] at the
//! pane's width, and the rows that show for a view. The ui only styles and draws those
//! rows, so what the view measures is what is drawn.

pub mod rows;

use super::App;
use super::view::{Blocks, View};
use rows::{Row, entry_height, entry_rows, queued_rows};

/// The message pane's blocks at a width.
pub struct PaneBlocks<'a> {
    /// Whose entries and queue.
    app: &'a App,
    /// The pane's width in columns.
    width: usize,
}

impl<'a> PaneBlocks<'a> {
    /// The blocks of `app`'s message pane, `width` columns wide.
    pub fn new(app: &'a App, width: u16) -> Self {
        Self {
            app,
            width: usize::from(width),
        }
    }

    /// Block `index` as its rows.
    pub fn rows(&self, index: usize) -> Vec<Row<'a>> {
        let entries = self.app.log.entries();
        match entries.get(index) {
            Some(entry) => entry_rows(entry, &self.app.config.time_zone, self.width),
            None => self
                .app
                .outbox
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
        self.app.log.entries().len() + self.app.outbox.queued().len()
    }

    fn height(&self, index: usize) -> usize {
        match self.app.log.entries().get(index) {
            Some(entry) => entry_height(entry, self.width),
            None => self.rows(index).len(),
        }
    }
}
