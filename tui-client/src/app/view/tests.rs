//! The view against a plain count of lines from the bottom, the way the pane used to keep
//! its place, and its own promises: valid anchors, no empty rows above the oldest line
//! after a clamp, the same block on the bottom row across a resize.

use proptest::prelude::*;

use super::*;

/// Blocks of the given heights, oldest first.
struct Heights(Vec<usize>);

impl Blocks for Heights {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn height(&self, index: usize) -> usize {
        self.0[index]
    }
}

/// Lines below the bottom row: the plain count the view stands for.
fn lines_below(view: View, blocks: &Heights) -> usize {
    match view {
        View::Following => 0,
        View::Scrolled(at) => blocks.0[at.block + 1..].iter().sum::<usize>() + at.hidden,
    }
}

/// How far a plain count can go up: the oldest line on the top row.
fn max_below(blocks: &Heights, rows: usize) -> usize {
    blocks.0.iter().sum::<usize>().saturating_sub(rows)
}

fn assert_valid(view: View, blocks: &Heights) {
    if let View::Scrolled(at) = view {
        assert!(
            at.block < blocks.count(),
            "{at:?} beyond {}",
            blocks.count()
        );
        assert!(
            at.hidden < blocks.height(at.block),
            "{at:?} in {:?}",
            blocks.0
        );
        assert!(lines_below(view, blocks) > 0, "{at:?} is the bottom");
    }
}

fn scrolled(block: usize, hidden: usize) -> View {
    View::Scrolled(Anchor { block, hidden })
}

#[test]
fn up_and_down_move_by_lines_across_blocks() {
    let blocks = Heights(vec![1, 3, 2, 1]);
    let view = View::Following.up(2, &blocks, 2);
    assert_eq!(view, scrolled(2, 1));
    assert_eq!(view.up(2, &blocks, 2), scrolled(1, 1));
    assert_eq!(view.down(1, &blocks), scrolled(2, 0));
    assert_eq!(view.down(2, &blocks), View::Following);
}

#[test]
fn up_stops_with_the_oldest_line_on_the_top_row() {
    let blocks = Heights(vec![2, 1, 1, 1]);
    assert_eq!(View::Following.up(100, &blocks, 3), scrolled(1, 0));
    assert_eq!(View::top(&blocks, 3), scrolled(1, 0));
    assert_eq!(View::top(&blocks, 5), View::Following, "all of it fits");
}

#[test]
fn a_resize_keeps_the_bottom_block_and_fills_the_rows() {
    let narrow = Heights(vec![3, 3, 3, 3]);
    let view = scrolled(2, 2);
    assert_eq!(view.clamp(&narrow, 4), view);
    let wide = Heights(vec![1, 1, 1, 1]);
    assert_eq!(
        view.clamp(&wide, 2),
        scrolled(2, 0),
        "the same block, one line"
    );
    assert_eq!(view.clamp(&wide, 4), View::Following, "everything fits now");
}

#[test]
fn a_view_in_the_queue_stays_put_when_an_entry_arrives_and_ends_when_it_is_sent() {
    // Two entries, then two queued messages; the view's bottom row is in the first one.
    let before = Heights(vec![1, 1, 2, 1]);
    let view = View::Following.up(2, &before, 2);
    assert_eq!(view, scrolled(2, 1));
    let after = Heights(vec![1, 1, 1, 2, 1]);
    let view = view.entry_added(2, false, after.count());
    assert_eq!(view, scrolled(3, 1), "the same queued message");
    assert_eq!(lines_below(view, &after), 2);
    let sent = Heights(vec![1, 1, 1]);
    assert_eq!(view.clamp(&sent, 2), View::Following);
}

#[test]
fn forgetting_the_bottom_block_keeps_the_oldest_one_in_view() {
    let blocks = Heights(vec![2, 1, 1]);
    let view = scrolled(0, 1).entry_added(3, true, blocks.count());
    assert_eq!(view, scrolled(0, 0));
}

/// What the reader (or the network) does.
#[derive(Debug, Clone)]
enum Step {
    Up(usize),
    Down(usize),
    Top,
    Follow,
    /// An entry of this height arrives; the oldest is forgotten if `evict`.
    Push(usize, bool),
    /// Every block changes height (`seed` picks the new ones).
    Resize(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..30).prop_map(Step::Up),
        (0usize..30).prop_map(Step::Down),
        Just(Step::Top),
        Just(Step::Follow),
        (1usize..5, any::<bool>()).prop_map(|(height, evict)| Step::Push(height, evict)),
        any::<u64>().prop_map(Step::Resize),
    ]
}

proptest! {
    #[test]
    fn moves_like_a_count_of_lines_from_the_bottom(
        heights in proptest::collection::vec(1usize..5, 0..20),
        rows in 1usize..8,
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let mut blocks = Heights(heights);
        let mut view = View::Following;
        let mut below = 0usize;
        for step in steps {
            match step {
                Step::Up(lines) => {
                    view = view.up(lines, &blocks, rows);
                    below = (below + lines).min(max_below(&blocks, rows));
                }
                Step::Down(lines) => {
                    view = view.down(lines, &blocks);
                    below = below.saturating_sub(lines);
                }
                Step::Top => {
                    view = View::top(&blocks, rows);
                    below = max_below(&blocks, rows);
                }
                Step::Follow => {
                    view = View::Following;
                    below = 0;
                }
                Step::Push(height, evict) => {
                    let entries = blocks.count();
                    let evict = evict && entries > 0;
                    let lost = evict && matches!(view, View::Scrolled(at) if at.block == 0);
                    blocks.0.push(height);
                    if evict {
                        blocks.0.remove(0);
                    }
                    view = view.entry_added(entries, evict, blocks.count());
                    if lost {
                        below = lines_below(view, &blocks);
                    } else if below > 0 {
                        below += height;
                    }
                }
                Step::Resize(seed) => {
                    for (index, height) in blocks.0.iter_mut().enumerate() {
                        *height = 1 + (seed >> (index % 60)) as usize % 4;
                    }
                    let before = view;
                    view = view.clamp(&blocks, rows);
                    below = lines_below(view, &blocks);
                    let top = max_below(&blocks, rows);
                    if let (View::Scrolled(was), View::Scrolled(is)) = (before, view) {
                        prop_assert!(is.block == was.block || below == top, "{was:?} → {is:?}");
                    }
                    prop_assert!(below <= top, "empty rows above the oldest line");
                }
            }
            assert_valid(view, &blocks);
            prop_assert_eq!(lines_below(view, &blocks), below);
            let total: usize = blocks.0.iter().sum();
            prop_assert_eq!(view.shows_top(&blocks, rows), total <= below + rows);
        }
    }
}
