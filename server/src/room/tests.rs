//! The wire-size bound that keeps a batch under a quarter of the send queue, and the
//! name bookkeeping that keeps look-alike names from being online together.

use super::state::State;
use super::*;
use crate::mode::Mode;
use chat_shared::name::name_claims;
use chat_shared::name::{MAX_NAME_CHARS, name_key, validate_name};
use chat_shared::text::{MAX_MESSAGE_LINES, line_count, sanitize_text};
use proptest::prelude::*;
use std::collections::HashMap;

proptest! {
    #[test]
    fn the_wire_size_bound_covers_both_modes(
        raw in "(\\PC|[\"\\\\\n\t\u{1b}]){0,400}",
        action in any::<bool>(),
    ) {
        let text = sanitize_text(&raw);
        prop_assume!(line_count(&text) <= MAX_MESSAGE_LINES);
        let said = Said { nonce: None, action, text: text.clone() };
        let from = "\u{10348}".repeat(MAX_NAME_CHARS);
        let (seq, time_ms) = (u64::MAX, i64::MAX);
        let frame = if action {
            ServerFrame::Action { nonce: None, epoch: 0, room: None, seq, time_ms, from, text }
        } else {
            ServerFrame::Message { nonce: None, epoch: 0, room: None, seq, time_ms, from, text }
        };
        let tz = TimeZone::UTC;
        for mode in [Mode::Plain, Mode::Structured] {
            let encoded = mode.encode(&frame, &tz).len();
            prop_assert!(encoded <= said.wire_size_bound(), "{mode:?}: {encoded}");
        }
    }
}

/// Names that are one another in another case or look alike, and some that do not.
const NAMES: &[&str] = &[
    "alice",
    "ALICE",
    "aIice",
    "Alice",
    "alicia",
    "mike",
    "rnike",
    "Mike",
    "bob0",
    "bobo",
    "Ian",
    "lan",
    "ian",
    "Stra\u{df}e",
    "STRASSE",
    "strasse",
];

/// What a member does with its name: takes one (joining, or renaming if it has one) or
/// leaves.
#[derive(Debug, Clone)]
enum NameOp {
    Take(usize, &'static str),
    Leave(usize),
}

fn name_op() -> impl Strategy<Value = NameOp> {
    prop_oneof![
        3 => (0..5usize, proptest::sample::select(NAMES)).prop_map(|(id, name)| NameOp::Take(id, name)),
        1 => (0..5usize).prop_map(NameOp::Leave),
    ]
}

fn share_a_claim(a: &str, b: &str) -> bool {
    let claims = name_claims(a);
    name_claims(b).iter().any(|claim| claims.contains(claim))
}

proptest! {
    #[test]
    fn names_held_at_once_never_share_a_claim(ops in proptest::collection::vec(name_op(), 1..40)) {
        let mut state = State::default();
        let mut names: HashMap<usize, &str> = HashMap::new();
        for op in ops {
            match op {
                NameOp::Take(id, name) => {
                    let valid = validate_name(name);
                    prop_assert_eq!(valid.as_deref(), Ok(name));
                    let old = names.get(&id).copied();
                    let clash = names.iter().any(|(&other, held)| other != id && share_a_claim(held, name));
                    let taken = state.take_name(id, old, name);
                    prop_assert_eq!(taken.is_err(), clash, "{} taking {:?} beside {:?}", id, name, names);
                    if taken.is_ok() {
                        names.insert(id, name);
                    }
                }
                NameOp::Leave(id) => {
                    if let Some(name) = names.remove(&id) {
                        state.release_name(name);
                    }
                }
            }
            prop_assert_eq!(state.by_key.len(), names.len());
            prop_assert_eq!(state.claims.len(), 2 * names.len());
            for (&id, name) in &names {
                prop_assert_eq!(state.by_key.get(&name_key(name)), Some(&id));
                let others = names.iter().filter(|&(&other, _)| other != id);
                for (_, other) in others {
                    prop_assert!(!share_a_claim(name, other), "{:?} beside {:?}", name, other);
                }
            }
        }
    }
}
