//! The signals that stop the client: SIGHUP (its terminal went away), SIGTERM, and
//! SIGINT and SIGQUIT sent from outside (`kill -INT`; in raw mode Ctrl-C and Ctrl-\ are
//! keys, not signals). By default each kills the process on the spot, leaving the
//! terminal in raw mode on the alternate screen; caught, each ends the UI loop like
//! quitting, and the terminal is given back.

use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};

/// The stopping signals, caught from [`StopSignals::catch`] on.
#[derive(Debug)]
pub struct StopSignals {
    /// SIGHUP.
    hangup: Signal,
    /// SIGTERM.
    terminate: Signal,
    /// SIGINT.
    interrupt: Signal,
    /// SIGQUIT.
    quit: Signal,
}

impl StopSignals {
    /// Catches the signals from now on (for the rest of the process: none of them kills
    /// it any more). Must be called inside a tokio runtime.
    pub fn catch() -> io::Result<Self> {
        Ok(Self {
            hangup: signal(SignalKind::hangup())?,
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            quit: signal(SignalKind::quit())?,
        })
    }

    /// Waits until one of the signals arrives.
    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.hangup.recv() => {}
            _ = self.terminate.recv() => {}
            _ = self.interrupt.recv() => {}
            _ = self.quit.recv() => {}
        }
    }
}
