//! `rooms`: clients spread over many small rooms and all in the default room, with
//! messages in both; measured beside one room holding everyone, in the same invocation.
//!
//! The layout is [`Layout`]'s: client `i` is in `#room{i % rooms}` and in the default
//! room (`#general`); the first `rooms × senders` clients speak in their side room, the
//! `general-senders` after them in the default room. Each client checks, per sender and
//! so per room, that nothing is lost, duplicated or out of order, and that nothing comes
//! from a room it is not in. The one-room run beside it has as many clients and senders,
//! each sending as many messages, all in the default room: the same messages, each
//! delivered to everyone.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{ArgAction, Args};
use serde::Serialize;

use crate::layout::Layout;
use crate::report::{self, Tabular, count};
use crate::scenarios::timed::table::{self, Ratios};
use crate::scenarios::timed::{self, TimedLoad, TimedRun};
use crate::scenarios::{FleetArgs, TargetArgs, open_target};
use crate::sender::SendPlan;

/// `chat-bench rooms` (its defaults are explained in its `--help`).
#[derive(Debug, Clone, Args)]
pub struct RoomsArgs {
    #[command(flatten)]
    target: TargetArgs,

    #[command(flatten)]
    fleet: FleetArgs,

    /// Clients; client i is in #room{i % rooms} and in the default room.
    #[arg(long, default_value_t = 1000)]
    clients: usize,

    /// Side rooms (#room0, #room1, ...), besides the default room everyone is in.
    #[arg(long, default_value_t = 100)]
    rooms: u32,

    /// Senders in each side room.
    #[arg(long, default_value_t = 1)]
    senders: u32,

    /// Senders in the default room.
    #[arg(long, default_value_t = 10)]
    general_senders: u32,

    /// Messages each sender sends. 200 keeps the one-room run (every message to every
    /// client: 22 million deliveries with the defaults) to a few seconds on two cores.
    #[arg(long, default_value_t = 200)]
    messages: u32,

    /// Messages per second per sender; 0 sends as fast as possible.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,

    /// Shortest message text in bytes (the timing probe is padded up to it).
    #[arg(long, default_value_t = 64)]
    text_bytes: usize,

    /// Seconds to wait after everyone joined, before timing: the server tells joins to a
    /// room of over 100 members in one summary a second, which would fall in the window.
    #[arg(long, default_value_t = 1.5)]
    settle: f64,

    /// Also run one room with as many clients and senders, each sending as many
    /// messages, and print both runs and the ratios (rooms ÷ one room).
    #[arg(long, default_value_t = true, action = ArgAction::Set)]
    compare_one_room: bool,
}

/// The result of `chat-bench rooms`.
#[derive(Debug, Clone, Serialize)]
pub struct RoomsReport {
    /// Which scenario this is.
    pub scenario: &'static str,
    /// Side rooms, besides the default room.
    pub rooms: u32,
    /// Senders in each side room.
    pub senders_per_room: u32,
    /// Senders in the default room.
    pub general_senders: u32,
    /// The rooms run first, then the one-room run if asked for.
    pub runs: Vec<TimedRun>,
    /// Rooms ÷ one room, when both ran.
    pub ratios: Option<Ratios>,
}

/// Runs the scenario and prints its report; fails if any delivery was lost, came twice
/// or out of order, or reached a client outside its room.
pub fn run(args: &RoomsArgs, json: bool) -> Result<()> {
    if args.rooms == 0 {
        bail!("--rooms must be at least 1");
    }
    let settle = Duration::try_from_secs_f64(args.settle)
        .context("--settle must be a number of seconds, 0 or more")?;
    let layout = Layout {
        rooms: args.rooms,
        per_room: args.senders,
        general: args.general_senders,
    };
    let load = |layout| TimedLoad {
        clients: args.clients,
        layout,
        plan: SendPlan {
            messages: args.messages,
            rate: args.rate,
            text_bytes: args.text_bytes,
        },
        settle,
        tls: false,
    };
    let mut loads = vec![load(layout)];
    if args.compare_one_room {
        loads.push(load(Layout::one_room(layout.senders())));
    }
    let runs = loads
        .iter()
        .map(|load| {
            let target = open_target(&args.target, args.clients)?;
            timed::measure(target, load, &args.fleet)
        })
        .collect::<Result<Vec<_>>>()?;
    let ratios = match runs.as_slice() {
        [rooms, one_room] => Some(Ratios::between(rooms, one_room)),
        _ => None,
    };
    let report = RoomsReport {
        scenario: "rooms",
        rooms: layout.rooms,
        senders_per_room: layout.per_room,
        general_senders: layout.general,
        runs,
        ratios,
    };
    report::print(&report, json)?;
    let faults: u64 = report
        .runs
        .iter()
        .map(|run| run.lost + run.reordered + run.misdelivered)
        .sum();
    if faults > 0 {
        bail!("{faults} deliveries were lost, repeated, out of order or misdelivered");
    }
    Ok(())
}

impl Tabular for RoomsReport {
    fn header(&self) -> Vec<String> {
        let mut header = vec!["rooms".to_owned(), format!("{} rooms", self.rooms)];
        if self.ratios.is_some() {
            header.extend(["one room".to_owned(), "ratio".to_owned()]);
        }
        header
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let [rooms, rest @ ..] = self.runs.as_slice() else {
            return Vec::new();
        };
        let one_room = rest.first().filter(|_| self.ratios.is_some());
        let row = |name: &str, in_rooms: String, in_one_room: Option<String>, ratio: &str| {
            let mut row = vec![name.to_owned(), in_rooms];
            if let Some(cell) = in_one_room {
                row.extend([cell, ratio.to_owned()]);
            }
            row
        };
        let in_side_rooms = self.rooms * self.senders_per_room;
        let mut rows = vec![
            row(
                "side rooms",
                count(u64::from(self.rooms)),
                one_room.map(|_| "0".to_owned()),
                "",
            ),
            row(
                "senders: side rooms + default",
                format!("{in_side_rooms} + {}", self.general_senders),
                one_room.map(|run| format!("0 + {}", run.senders)),
                "",
            ),
        ];
        rows.extend(table::rows(&self.runs, self.ratios.as_ref()));
        let after_throughput = rows
            .iter()
            .position(|row| row[0] == "deliveries/s")
            .map_or(rows.len(), |at| at + 1);
        rows.insert(
            after_throughput,
            row(
                "messages/s",
                count(messages_per_second(rooms) as u64),
                one_room.map(|run| count(messages_per_second(run) as u64)),
                &one_room.map_or_else(String::new, |run| {
                    format!(
                        "{:.2}",
                        messages_per_second(rooms) / messages_per_second(run)
                    )
                }),
            ),
        );
        rows
    }
}

/// Messages sent per second of the run's window (each delivered to the room's members).
fn messages_per_second(run: &TimedRun) -> f64 {
    (u64::from(run.senders) * u64::from(run.messages_per_sender)) as f64 / run.seconds
}
