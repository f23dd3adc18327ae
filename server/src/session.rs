//! One connection's session: the protocol as a state machine without a socket, and the
//! thin loop that drives it from the connection's thread.
//!
//! `Session` owns everything the protocol decides: the mode chosen by the first line, the
//! name, flood control, the keepalive, the handshake deadline and the announcement of a
//! quiet newcomer. It is given lines, the time, and the news that the connection closed,
//! and answers with what to do next: read on, wait (flood control), or close (and why).
//! What the client is to receive goes into its [`Deliver`](crate::deliver::Deliver)er in
//! the order decided: replies straight from the session, room events through the room.
//! Unit tests drive a session with lines and a clock of their own, and read what the
//! client would have received.
//!
//! The parts, one job each:
//! - `machine`: the session's state, its inputs, and what each line means;
//! - `requests`: carrying out a joined client's messages and simple requests;
//! - `rooms`: joining and leaving rooms, topics, and what a refusal says;
//! - `names`: choosing a name (joining) and changing it;
//! - `accounts`: claiming a registered name with its password, and `/register`,
//!   `/password`, `/unregister`;
//! - `moderation`: an operator's kicks, mutes and bans;
//! - `fakelag`: flood control's decisions; `batch`: messages read but not yet published;
//! - `keepalive` and `timers`: what the session does when the client is silent
//!   (handshake timeout, the announcement of a quiet newcomer, pings);
//! - `ending`: why a session ends and how it says goodbye;
//! - `transport`: before the session begins, TLS or cleartext, by the first byte;
//! - `socket_loop`: the only part that touches the socket, sleeps or waits.

mod accounts;
mod batch;
mod ending;
mod fakelag;
mod history;
mod keepalive;
mod machine;
mod moderation;
mod names;
mod requests;
mod rooms;
mod socket_loop;
mod timers;
mod transport;

#[cfg(test)]
mod tests;

pub(crate) use socket_loop::run;
