//! The network task: it owns the socket and the reconnect loop.
//!
//! It connects, says `hello`, skips the server's banner (an `ERROR code: reason` line is
//! a refusal), and reports [`NetEvent`]s: connecting, connected (after the server's
//! `hello`), each frame, and disconnections with the delay before the next try. It sends
//! the frames the app asks for, and never stops reading while a write waits: a server
//! that is slow to take a long paste must not see the client as a slow reader and drop
//! it. Room frames go out only after `welcome` on the current connection. Logging in is
//! the app's business: it sends `login` when told the connection is ready, which also
//! re-claims the name after a reconnect.
//!
//! A server that goes quiet for long is pinged, and given up on if it does not answer:
//! a server host that vanished sends no reset, and the user should not sit unaware.
//!
//! With TLS ([`tls`]), a server whose certificate is refused ends the task: the
//! certificate changed since the user trusted it, or none is trusted and the user was
//! not asked. No retry would mend that, and the user must hear it loudly, not in a
//! status bar ([`NetHandle::failure`]).
//!
//! The parts: `connection` serves one connection, reading and writing at once;
//! `incoming` understands what the server sends; `outgoing` holds what waits for the
//! socket; `backoff` chooses the delays between tries, random and growing.
//!
//! Whatever the server sends, nothing here panics: a line that is not UTF-8, too long,
//! or not a frame ends the connection with a readable reason, and the loop tries again
//! after a backoff delay, like after any other failure. So does the server's `shutdown`:
//! a restart is a short break, and the first delay after it is drawn from the window the
//! server suggests, so that its clients do not all return at once. A kick or a ban is
//! the exception: trying again by itself would only repeat it (banned, in a loop), so
//! the task waits for the user's word ([`NetCommand::RetryNow`]). The task ends only
//! when the app says [`NetCommand::Close`] or drops its handle.

mod backoff;
mod connection;
mod first_bytes;
mod incoming;
mod outgoing;
pub mod tls;

use std::io;
use std::time::Duration;

use chat_shared::frame::ClientFrame;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until, timeout};

use crate::event::NetEvent;
use crate::trust::verifier::Distrust;
use backoff::Backoff;
use connection::{Ending, connection};

/// The longest line accepted from the server until its `hello` says how long its lines
/// may be (`max_frame_bytes`). Its lines are short except `roster` and `welcome`, which
/// list everyone online: 10,000 names of up to 24 characters fit.
pub const MAX_SERVER_LINE_BYTES: usize = 1 << 20;

/// The most a server's `hello` may raise that cap to: a hostile server announcing more
/// must not make the client hold gigabytes for one line.
pub const MAX_ANNOUNCED_LINE_BYTES: usize = 64 << 20;

/// Where to connect and how patiently.
#[derive(Debug, Clone)]
pub struct NetConfig {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Sent in `hello`, for the server's log.
    pub client: String,
    /// The longest delay before reconnecting after one failure; doubled after each
    /// further failure in a row. Each delay is random, from zero to that.
    pub backoff_initial: Duration,
    /// The longest delay before reconnecting, whatever the count of failures or the
    /// server's suggestion.
    pub backoff_max: Duration,
    /// How long a connection must stay up after the server's `hello` for the delays to
    /// start over from `backoff_initial`: a server that fails right after `hello` must
    /// not be retried at the shortest delay forever.
    pub stable_after: Duration,
    /// How long connecting and the server's `hello` may take.
    pub handshake_timeout: Duration,
    /// After this long without a byte from the server, the client pings it. Longer than
    /// the server's own ping interval (90 s), so a healthy server is normally not asked.
    pub quiet_before_ping: Duration,
    /// How long the server may take to answer that ping before the connection is
    /// considered dead (a server host that vanished sends no reset).
    pub ping_timeout: Duration,
    /// The size asked of the kernel for the socket's send and receive buffers; `None`
    /// leaves them to the kernel, which grows them on a fast link. Small buffers make a
    /// test of a slow link independent of the kernel's tuning.
    pub socket_buffer_bytes: Option<u32>,
    /// TLS over the connection, when asked for; plain when `None`.
    pub tls: Option<tls::TlsConnect>,
}

impl NetConfig {
    /// Defaults for a server at `host`:`port`: retries within 1 s, 2 s, 4 s... up to 30 s,
    /// starting over after a connection that lasted 10 s.
    pub fn new(host: &str, port: u16) -> Self {
        Self {
            host: host.to_owned(),
            port,
            client: format!("chat-tui {}", env!("CARGO_PKG_VERSION")),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            stable_after: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            quiet_before_ping: Duration::from_secs(120),
            ping_timeout: Duration::from_secs(30),
            socket_buffer_bytes: None,
            tls: None,
        }
    }
}

/// What the app asks of the network task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetCommand {
    /// Send a frame (dropped if not connected: the app queues messages itself).
    Send(ClientFrame),
    /// Stop waiting for the backoff delay and connect now.
    RetryNow,
    /// Write what is pending, close the connection and end the task.
    Close,
}

/// The app's end of the network task.
#[derive(Debug)]
pub struct NetHandle {
    /// Requests to the task.
    pub commands: mpsc::UnboundedSender<NetCommand>,
    /// News from the task; bounded, so a flood from the server waits in TCP buffers.
    pub events: mpsc::Receiver<NetEvent>,
    /// The task, to wait for it to finish writing on exit; it ends by itself only when
    /// it refuses the server's certificate.
    pub task: JoinHandle<Result<(), Distrust>>,
}

impl NetHandle {
    /// Asks the task for something; a task that already ended has nothing to do.
    pub fn command(&self, command: NetCommand) {
        let _ = self.commands.send(command);
    }

    /// Closes the connection after writing what is pending, waiting at most `grace`.
    pub async fn close(self, grace: Duration) {
        self.command(NetCommand::Close);
        let _ = timeout(grace, self.task).await;
    }

    /// Why the task ended by itself (its events channel closed): the server's
    /// certificate refused, or a panic.
    pub async fn failure(self) -> anyhow::Error {
        match self.task.await {
            Ok(Err(distrust)) => anyhow::Error::new(distrust),
            _ => anyhow::anyhow!("the network task stopped unexpectedly"),
        }
    }
}

/// Starts the network task on the current tokio runtime.
pub fn spawn(config: NetConfig) -> NetHandle {
    let (commands, command_receiver) = mpsc::unbounded_channel();
    let (event_sender, events) = mpsc::channel(256);
    let task = tokio::spawn(run(config, command_receiver, event_sender));
    NetHandle {
        commands,
        events,
        task,
    }
}

/// Connects again and again until the app closes; ends with an error only when the
/// server's certificate is refused, which no retry can mend.
async fn run(
    config: NetConfig,
    mut commands: mpsc::UnboundedReceiver<NetCommand>,
    events: mpsc::Sender<NetEvent>,
) -> Result<(), Distrust> {
    let mut backoff = Backoff::new(
        config.backoff_initial,
        config.backoff_max,
        config.stable_after,
        fastrand::Rng::new(),
    );
    loop {
        let attempt = backoff.attempt();
        if events.send(NetEvent::Connecting { attempt }).await.is_err() {
            return Ok(());
        }
        let (reason, up_for, suggested) = match connection(&config, &mut commands, &events).await {
            Ending::Closed => return Ok(()),
            Ending::Refused(distrust) => {
                tracing::error!(%distrust, "certificate refused");
                return Err(distrust);
            }
            Ending::Removed { reason } => {
                tracing::info!(%reason, "removed by the server; waiting for the user");
                if events.send(NetEvent::Removed { reason }).await.is_err()
                    || !wait_for_retry(None, &mut commands).await
                {
                    return Ok(());
                }
                continue;
            }
            Ending::Failed {
                reason,
                up_for,
                suggested,
            } => (reason, up_for, suggested),
        };
        let delay = backoff.delay_after(up_for, suggested);
        tracing::info!(%reason, ?up_for, retry_in = ?delay, "disconnected");
        let news = NetEvent::Disconnected {
            reason,
            retry_in: delay,
        };
        if events.send(news).await.is_err() {
            return Ok(());
        }
        if !wait_for_retry(Some(delay), &mut commands).await {
            return Ok(());
        }
    }
}

/// Waits out the backoff delay (`None`: until the app asks), or less if the app asks to
/// retry now; false when the app closes.
async fn wait_for_retry(
    delay: Option<Duration>,
    commands: &mut mpsc::UnboundedReceiver<NetCommand>,
) -> bool {
    let deadline = delay.map(|delay| Instant::now() + delay);
    loop {
        tokio::select! {
            () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                return true;
            }
            command = commands.recv() => match command {
                None | Some(NetCommand::Close) => return false,
                Some(NetCommand::RetryNow) => return true,
                Some(NetCommand::Send(frame)) => {
                    tracing::warn!(?frame, "not connected; frame dropped");
                }
            },
        }
    }
}

/// A socket error in words a user understands.
fn describe_io_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => {
            "connection refused (is chat-server running?)".to_owned()
        }
        io::ErrorKind::ConnectionReset => "the connection was reset".to_owned(),
        io::ErrorKind::TimedOut => "timed out".to_owned(),
        _ => error.to_string(),
    }
}
