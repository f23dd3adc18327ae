//! The timed run that `fanout` is made of: clients join, drain what joining brought, then
//! some of them send timed messages while everyone counts what arrives.
//!
//! Every client, senders included, counts every timed message it should receive: the
//! server sends the sender its own message back as confirmation, and the baseline does
//! the same. Clients first join, wait for the settle pause if there is one, and drain
//! their join notices (a barrier ping), so that the measured window holds only the
//! messages.
//!
//! The server tells joins to a room of more than 100 members (its
//! `--presence-summary-above`) in one `presence` summary a second, so the last summary
//! of the joins may come after the barrier; a pause of a little over a second keeps it
//! out. Runs count the summaries received after the barrier, to show whether any fell
//! in the window.

pub mod table;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::fleet::Fleet;
use crate::layout::Layout;
use crate::proc_stats::Memory;
use crate::progress::Progress;
use crate::report::{Latency, count};
use crate::scenarios::{Completion, FleetArgs, await_done, counter, join, sync};
use crate::sender::{self, SendPlan};
use crate::target::Target;
use crate::tls::accepting_any_certificate;

/// What one timed run loads its target with.
#[derive(Debug, Clone, Copy)]
pub struct TimedLoad {
    /// Clients.
    pub clients: usize,
    /// Their rooms, and who speaks where.
    pub layout: Layout,
    /// What each sender sends.
    pub plan: SendPlan,
    /// How long to wait after everyone joined, before the barrier.
    pub settle: Duration,
    /// The clients speak TLS (accepting any certificate: bench only).
    pub tls: bool,
}

/// The figures of one timed run against one target.
#[derive(Debug, Clone, Serialize)]
pub struct TimedRun {
    /// What was measured.
    pub target: String,
    /// Clients in the room.
    pub clients: usize,
    /// Clients that sent.
    pub senders: u32,
    /// Messages per sender.
    pub messages_per_sender: u32,
    /// Messages per second per sender (0: as fast as possible).
    pub rate: f64,
    /// Time for every client to join, in seconds.
    pub join_seconds: f64,
    /// Deliveries expected: each client's senders × messages, summed over the clients.
    pub expected_deliveries: u64,
    /// Deliveries received.
    pub deliveries: u64,
    /// Deliveries never received (must be 0).
    pub lost: u64,
    /// Deliveries out of their sender's order (must be 0).
    pub reordered: u64,
    /// Deliveries to a client that should not have had them (must be 0).
    pub misdelivered: u64,
    /// `presence` summaries received after the barrier, summed over the clients.
    pub presence_frames: u64,
    /// Clients whose connection closed during the run.
    pub disconnected: usize,
    /// Why the first of them was closed.
    pub disconnect_reason: Option<String>,
    /// From the first send to the last receipt, in seconds.
    pub seconds: f64,
    /// Deliveries per second over that window.
    pub deliveries_per_second: f64,
    /// Send-to-receipt latency.
    pub latency: Latency,
    /// CPU seconds the target used over the run (server process or baseline thread).
    pub cpu_seconds: Option<f64>,
    /// Its CPU time per delivery, in microseconds.
    pub cpu_us_per_delivery: Option<f64>,
    /// The server process's peak resident memory, in bytes.
    pub peak_rss_bytes: Option<u64>,
}

/// Runs `load` against `target`, then stops the target (while the clients are still
/// connected, so that it does not tell each departure).
pub fn measure(target: Target, load: &TimedLoad, fleet_args: &FleetArgs) -> Result<TimedRun> {
    let window = send_and_receive(&target, load, fleet_args)?;
    target.stop();
    Ok(window.finish())
}

/// Runs `load` against `target` and leaves it running: for scenarios that measure the
/// same server again, under other conditions, in one run.
pub fn measure_on(target: &Target, load: &TimedLoad, fleet_args: &FleetArgs) -> Result<TimedRun> {
    Ok(send_and_receive(target, load, fleet_args)?.finish())
}

/// A timed run whose messages have all arrived (or never will), before its clients
/// leave.
struct Window {
    fleet: Fleet,
    label: String,
    load: TimedLoad,
    join_time: Duration,
    expected: u64,
    completion: Completion,
    first_send: u64,
    cpu: Option<f64>,
    memory: Option<Memory>,
}

/// Joins the clients, sends the timed messages and waits for them.
fn send_and_receive(target: &Target, load: &TimedLoad, fleet_args: &FleetArgs) -> Result<Window> {
    let TimedLoad {
        clients,
        layout,
        plan,
        settle,
        tls,
    } = *load;
    let senders = layout.senders();
    if senders as usize > clients {
        bail!("{senders} senders cannot be more than the {clients} clients");
    }
    let expected = layout.expected_per_client(plan.messages) * clients as u64;
    let mut label = target.label();
    let mut fleet = Fleet::new(fleet_args.threads(), layout, plan.messages)?;
    if tls {
        fleet = fleet.over_tls(accepting_any_certificate());
        label.push_str(" (tls)");
    }
    let joined = counter();
    let _progress = Progress::start({
        let (counters, joined, label) = (fleet.counters(), Arc::clone(&joined), label.clone());
        let mut last = (0.0, 0);
        move |now| {
            let delivered = counters.deliveries.load(Ordering::Relaxed);
            let rate = (delivered - last.1) as f64 / (now - last.0);
            last = (now, delivered);
            format!(
                "{label}: {} of {clients} joined, {} of {} delivered ({}/s)",
                joined.load(Ordering::Relaxed),
                count(delivered),
                count(expected),
                count(rate as u64)
            )
        }
    });
    let patience = fleet_args.patience();
    let (join_time, streams) = join(
        &fleet,
        target.addr(),
        0,
        clients,
        fleet_args,
        &joined,
        senders as usize,
    )?;
    thread::sleep(settle);
    sync(&fleet, clients, patience)?;
    let cpu_before = target.cpu_seconds();
    let start = Arc::new(Barrier::new(senders as usize + 1));
    let threads = streams
        .into_iter()
        .zip(0..)
        .map(|(stream, index)| sender::spawn(index, layout, stream, plan, Arc::clone(&start)))
        .collect::<std::io::Result<Vec<_>>>()?;
    start.wait();
    let completion = await_done(&fleet, clients, patience);
    let cpu = target.cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    let memory = target.memory();
    let mut first_send = u64::MAX;
    for thread in threads {
        let started = thread
            .join()
            .map_err(|_| anyhow::anyhow!("a sender panicked"))?
            .context("a sender could not send")?;
        first_send = first_send.min(started);
    }
    Ok(Window {
        fleet,
        label,
        load: *load,
        join_time,
        expected,
        completion,
        first_send,
        cpu,
        memory,
    })
}

impl Window {
    /// Closes the clients and puts the figures together.
    fn finish(self) -> TimedRun {
        let Window {
            fleet,
            label,
            load,
            join_time,
            expected,
            completion,
            first_send,
            cpu,
            memory,
        } = self;
        let tally = fleet.finish();
        let seconds = tally.last_receipt_ns.saturating_sub(first_send) as f64 / 1e9;
        TimedRun {
            target: label,
            clients: load.clients,
            senders: load.layout.senders(),
            messages_per_sender: load.plan.messages,
            rate: load.plan.rate,
            join_seconds: join_time.as_secs_f64(),
            expected_deliveries: expected,
            deliveries: tally.received,
            lost: tally.lost,
            reordered: tally.reordered,
            misdelivered: tally.misdelivered,
            presence_frames: tally.presence,
            disconnected: completion.closed,
            disconnect_reason: completion.first_close_reason,
            seconds,
            deliveries_per_second: tally.received as f64 / seconds,
            latency: Latency::from_ns(&tally.latency_ns),
            cpu_seconds: cpu,
            cpu_us_per_delivery: cpu.map(|cpu| cpu * 1e6 / tally.received.max(1) as f64),
            peak_rss_bytes: memory.map(|m| m.peak_rss_bytes),
        }
    }
}
