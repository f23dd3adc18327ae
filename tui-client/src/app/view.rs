//! The reader's place in the message pane, kept as an anchor rather than as a count of
//! lines, so that no step costs more than the lines it shows or passes.
//!
//! The pane shows blocks of lines, oldest first: the history's entries, then the messages
//! still queued to be sent. A scrolled-up view is remembered as the block drawn on its
//! bottom row and how many of that block's lines are hidden below it. Drawing starts from
//! that block and lays out only what fits; moving by a page measures only the blocks it
//! passes; a resize keeps the same block on the bottom row. Nothing here depends on how
//! long the history is: a view over 100,000 entries costs what one over 100 does.
//!
//! Counted in lines from the bottom, a view moves exactly as a plain line count would: up
//! by `n` stops at the top (the oldest line on the top row), down by `n` stops at the
//! bottom, and new blocks below a scrolled view leave it where it is. The tests check
//! that against such a count. Where blocks change under the view, it keeps its block
//! rather than a count, which would now point elsewhere: across a resize, when the queue
//! below it is sent or given back, and when the cap forgets the block itself (the oldest
//! block left takes its place).

/// What a view moves over: the blocks, and the lines each takes at the pane's width.
pub trait Blocks {
    /// How many blocks there are.
    fn count(&self) -> usize;
    /// How many lines block `index` takes; at least 1.
    fn height(&self, index: usize) -> usize;
}

/// The bottom row of a view: which block, and which of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// The block drawn on the bottom row.
    pub block: usize,
    /// How many of that block's lines are below the bottom row.
    pub hidden: usize,
}

/// Where the reader is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    /// At the bottom, following new messages.
    #[default]
    Following,
    /// Scrolled up: at least one line is below the bottom row.
    Scrolled(Anchor),
}

impl View {
    /// The bottom row, where drawing starts; `None` when there is nothing to draw.
    pub fn bottom_row(self, blocks: &impl Blocks) -> Option<Anchor> {
        let bottom = blocks
            .count()
            .checked_sub(1)
            .map(|block| Anchor { block, hidden: 0 });
        match self {
            View::Following => bottom,
            View::Scrolled(at) => Some(at),
        }
    }

    /// Up by `lines`, no further than the top: the oldest line on the top of `rows`.
    pub fn up(self, lines: usize, blocks: &impl Blocks, rows: usize) -> View {
        let Some(mut at) = self.valid_bottom_row(blocks) else {
            return View::Following;
        };
        let mut left = lines;
        loop {
            let above = blocks.height(at.block) - 1 - at.hidden;
            if left <= above || at.block == 0 {
                at.hidden += left.min(above);
                break;
            }
            left -= above + 1;
            at = Anchor {
                block: at.block - 1,
                hidden: 0,
            };
        }
        View::Scrolled(at).clamp(blocks, rows)
    }

    /// Down by `lines`, no further than the bottom.
    pub fn down(self, lines: usize, blocks: &impl Blocks) -> View {
        let Some(mut at) = self.valid_bottom_row(blocks) else {
            return View::Following;
        };
        let mut left = lines;
        while left > at.hidden {
            left -= at.hidden + 1;
            let block = at.block + 1;
            if block == blocks.count() {
                return View::Following;
            }
            at = Anchor {
                block,
                hidden: blocks.height(block) - 1,
            };
        }
        at.hidden -= left;
        settle(at, blocks.count())
    }

    /// The top: the oldest line on the top of `rows`, or following when all fits.
    pub fn top(blocks: &impl Blocks, rows: usize) -> View {
        let rows = rows.max(1);
        let mut lines = 0;
        for block in 0..blocks.count() {
            lines += blocks.height(block);
            if lines >= rows {
                let at = Anchor {
                    block,
                    hidden: lines - rows,
                };
                return settle(at, blocks.count());
            }
        }
        View::Following
    }

    /// Whether the oldest line shows in a pane `rows` high: the reader is at the top.
    pub fn shows_top(self, blocks: &impl Blocks, rows: usize) -> bool {
        let Some(at) = self.valid_bottom_row(blocks) else {
            return true;
        };
        let mut lines = blocks.height(at.block) - at.hidden;
        for block in (0..at.block).rev() {
            if lines > rows {
                return false;
            }
            lines += blocks.height(block);
        }
        lines <= rows
    }

    /// The same place after the blocks changed height (a resize) or number (the queue was
    /// sent, an entry forgotten): the same block on the bottom row if it is still there,
    /// and no empty rows above the oldest line.
    pub fn clamp(self, blocks: &impl Blocks, rows: usize) -> View {
        let View::Scrolled(_) = self else {
            return self;
        };
        let Some(at) = self.valid_bottom_row(blocks) else {
            return View::Following;
        };
        let rows = rows.max(1);
        let mut lines = blocks.height(at.block) - at.hidden;
        let mut block = at.block;
        while lines < rows && block > 0 {
            block -= 1;
            lines += blocks.height(block);
        }
        if lines < rows {
            View::top(blocks, rows)
        } else {
            settle(at, blocks.count())
        }
    }

    /// The same place after an entry was added after the `entries` there were (before the
    /// queued messages) and, if `evicted`, the oldest entry was forgotten, leaving `count`
    /// blocks. The view stays on the lines it showed; if its own bottom block was
    /// forgotten, the oldest one left takes its place.
    pub fn entry_added(self, entries: usize, evicted: bool, count: usize) -> View {
        let View::Scrolled(mut at) = self else {
            return self;
        };
        if at.block >= entries {
            at.block += 1;
        }
        if evicted {
            match at.block.checked_sub(1) {
                Some(block) => at.block = block,
                None => at.hidden = 0,
            }
        }
        settle(at, count)
    }

    /// The bottom row, moved back inside the blocks if they shrank under it.
    fn valid_bottom_row(self, blocks: &impl Blocks) -> Option<Anchor> {
        let last = blocks.count().checked_sub(1)?;
        let at = match self.bottom_row(blocks)? {
            at if at.block > last => Anchor {
                block: last,
                hidden: 0,
            },
            at => at,
        };
        Some(Anchor {
            block: at.block,
            hidden: at.hidden.min(blocks.height(at.block) - 1),
        })
    }
}

/// A view with `at` on its bottom row, among `count` blocks: following if nothing is
/// below it.
fn settle(at: Anchor, count: usize) -> View {
    if at.hidden == 0 && at.block + 1 >= count {
        View::Following
    } else {
        View::Scrolled(at)
    }
}

#[cfg(test)]
mod tests;
