//! Events that could not be kept, remembered until the writer can mark their place in
//! history with a gap.

use std::collections::HashMap;

use crate::store::StoredEvent;

/// More runs of lost events than this in one room are merged into one gap that spans
/// them all: a failing disk must not make this list grow without bound.
const MAX_RUNS: usize = 32;

/// The lost events of one room, as runs of consecutive `seq`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RoomLoss {
    /// The room's key.
    pub room_key: String,
    /// The room's name, as the lost events had it.
    pub room: String,
    /// The epoch the lost events were in.
    pub epoch: u64,
    /// When the first of them happened.
    pub time_ms: i64,
    /// First and last `seq` of each run, in the order they were lost.
    pub runs: Vec<(u64, u64)>,
}

/// Every room's lost events not yet marked in history.
#[derive(Debug, Default)]
pub(super) struct Losses {
    rooms: HashMap<String, RoomLoss>,
}

impl Losses {
    /// Remembers that `event` was lost.
    pub fn record(&mut self, event: &StoredEvent) {
        let loss = self
            .rooms
            .entry(event.room_key.clone())
            .or_insert_with(|| RoomLoss {
                room_key: event.room_key.clone(),
                room: event.room.clone(),
                epoch: event.epoch,
                time_ms: event.time_ms,
                runs: Vec::new(),
            });
        match loss.runs.last_mut() {
            Some((_, last)) if *last + 1 == event.seq => *last = event.seq,
            _ => loss.runs.push((event.seq, event.seq)),
        }
        if loss.runs.len() > MAX_RUNS {
            let first = loss.runs.iter().map(|run| run.0).min().unwrap_or(event.seq);
            let last = loss.runs.iter().map(|run| run.1).max().unwrap_or(event.seq);
            loss.runs = vec![(first, last)];
        }
    }

    /// Whether nothing waits to be marked.
    pub fn is_empty(&self) -> bool {
        self.rooms.is_empty()
    }

    /// Takes every room's losses, to be marked.
    pub fn take(&mut self) -> Vec<RoomLoss> {
        self.rooms.drain().map(|(_, loss)| loss).collect()
    }

    /// Puts back losses that could not be marked after all.
    pub fn restore(&mut self, losses: Vec<RoomLoss>) {
        for loss in losses {
            match self.rooms.get_mut(&loss.room_key) {
                Some(newer) => {
                    let mut runs = loss.runs;
                    runs.append(&mut newer.runs);
                    newer.runs = runs;
                    newer.time_ms = loss.time_ms;
                }
                None => {
                    self.rooms.insert(loss.room_key.clone(), loss);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::EventKind;

    fn event(seq: u64) -> StoredEvent {
        StoredEvent {
            room_key: "#a".to_owned(),
            room: "#A".to_owned(),
            epoch: 7,
            seq,
            time_ms: i64::try_from(seq).unwrap_or(0),
            kind: EventKind::Message,
            from: None,
            to: None,
            text: None,
            nonce: None,
            sender_key: None,
            frame: String::new(),
        }
    }

    #[test]
    fn consecutive_losses_make_one_run() {
        let mut losses = Losses::default();
        for seq in [3, 4, 5, 9, 10] {
            losses.record(&event(seq));
        }
        let taken = losses.take();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].runs, vec![(3, 5), (9, 10)]);
        assert_eq!(taken[0].time_ms, 3);
        assert!(losses.is_empty());
    }

    #[test]
    fn too_many_runs_become_one_span() {
        let mut losses = Losses::default();
        for seq in (1..=2 * MAX_RUNS as u64 + 2).step_by(2) {
            losses.record(&event(seq));
        }
        let taken = losses.take();
        assert!(taken[0].runs.len() <= MAX_RUNS);
        assert_eq!(taken[0].runs[0].0, 1);
    }

    #[test]
    fn restored_losses_come_before_newer_ones() {
        let mut losses = Losses::default();
        losses.record(&event(1));
        let taken = losses.take();
        losses.record(&event(5));
        losses.restore(taken);
        let again = losses.take();
        assert_eq!(again[0].runs, vec![(1, 1), (5, 5)]);
        assert_eq!(again[0].time_ms, 1);
    }
}
