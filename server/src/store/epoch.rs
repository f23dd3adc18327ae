//! Fresh epochs: random numbers that no earlier run of the server handed out.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Epochs stay below 2^53: an SQLite integer holds them, and so does a JSON number in any
/// client, JavaScript included.
const EPOCH_BITS: u64 = (1 << 53) - 1;

/// A new epoch, unique with overwhelming odds: the standard library's randomly keyed
/// hasher (seeded by the operating system) over a counter, the clock and the process id.
/// Not secret, only unpredictable enough that two runs (or two stores, or a history that
/// was deleted and started again) never share one; this needs no random-number crate.
pub(crate) fn fresh_epoch() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    match hasher.finish() & EPOCH_BITS {
        0 => 1,
        epoch => epoch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_differ_and_fit_a_json_number() {
        let epochs: std::collections::HashSet<u64> = (0..1000).map(|_| fresh_epoch()).collect();
        assert_eq!(epochs.len(), 1000);
        assert!(epochs.iter().all(|&epoch| epoch > 0 && epoch <= EPOCH_BITS));
    }
}
