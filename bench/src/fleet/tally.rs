//! What a fleet's reader threads measure: each keeps its own tally, merged at the end.

use hdrhistogram::Histogram;

/// What the reader threads measured, merged.
#[derive(Debug)]
pub struct Tally {
    /// Send-to-receipt latency of every timed message, in nanoseconds.
    pub latency_ns: Histogram<u64>,
    /// Timed messages received (duplicates excluded).
    pub received: u64,
    /// Timed messages that every client should have received but did not.
    pub lost: u64,
    /// Timed messages that arrived out of their sender's order.
    pub reordered: u64,
    /// Timed messages received by a client that should not have received them.
    pub misdelivered: u64,
    /// `presence` summaries received after the barrier, summed over the clients.
    pub presence: u64,
    /// When the last timed message was read ([`crate::probe::now_ns`] time), 0 if none was.
    pub last_receipt_ns: u64,
}

impl Tally {
    pub(super) fn new() -> Self {
        Self {
            latency_ns: Histogram::new_with_bounds(1, 3_600_000_000_000, 3)
                .expect("valid histogram bounds"),
            received: 0,
            lost: 0,
            reordered: 0,
            misdelivered: 0,
            presence: 0,
            last_receipt_ns: 0,
        }
    }

    pub(super) fn merge(&mut self, other: Tally) {
        self.latency_ns
            .add(&other.latency_ns)
            .expect("histograms with the same bounds");
        self.received += other.received;
        self.lost += other.lost;
        self.reordered += other.reordered;
        self.misdelivered += other.misdelivered;
        self.presence += other.presence;
        self.last_receipt_ns = self.last_receipt_ns.max(other.last_receipt_ns);
    }
}
