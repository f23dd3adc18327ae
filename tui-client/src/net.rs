//! The network task: it owns the socket and the reconnect loop.
//!
//! It connects, says `hello`, skips the server's banner (an `ERROR code: reason` line is
//! a refusal), and reports [`NetEvent`]s: connecting, connected (after the server's
//! `hello`), each frame, and disconnections with the delay before the next try. It sends
//! the frames the app asks for. Logging in is the app's business: it sends `login` when
//! told the connection is ready, which also re-claims the name after a reconnect.
//!
//! A server that goes quiet for long is pinged, and given up on if it does not answer:
//! a server host that vanished sends no reset, and the user should not sit unaware.
//!
//! Whatever the server sends, nothing here panics: a line that is not UTF-8, too long,
//! or not a frame ends the connection with a readable reason, and the loop tries again
//! after a backoff delay, like after any other failure. The task ends when the app says
//! [`NetCommand::Close`], drops its handle, or after the server's `shutdown`.

use std::io;
use std::time::Duration;

use chat_shared::PROTOCOL_VERSION;
use chat_shared::codec::{LineDecoder, LineError};
use chat_shared::frame::{ClientFrame, ServerFrame, decode_server, encode, parse_refusal};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until, timeout};

use crate::event::NetEvent;

/// The longest line accepted from the server. Its lines are short except `roster` and
/// `welcome`, which list everyone online: 10,000 names of up to 24 characters fit.
pub const MAX_SERVER_LINE_BYTES: usize = 1 << 20;

/// Where to connect and how patiently.
#[derive(Debug, Clone)]
pub struct NetConfig {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Sent in `hello`, for the server's log.
    pub client: String,
    /// The first delay before reconnecting; doubled after each failure.
    pub backoff_initial: Duration,
    /// The longest delay before reconnecting.
    pub backoff_max: Duration,
    /// How long connecting and the server's `hello` may take.
    pub handshake_timeout: Duration,
    /// After this long without a byte from the server, the client pings it. Longer than
    /// the server's own ping interval (90 s), so a healthy server is normally not asked.
    pub quiet_before_ping: Duration,
    /// How long the server may take to answer that ping before the connection is
    /// considered dead (a server host that vanished sends no reset).
    pub ping_timeout: Duration,
}

impl NetConfig {
    /// Defaults for a server at `host`:`port`: retries after 1 s, 2 s, 4 s... up to 30 s.
    pub fn new(host: &str, port: u16) -> Self {
        Self {
            host: host.to_owned(),
            port,
            client: format!("chat-tui {}", env!("CARGO_PKG_VERSION")),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            handshake_timeout: Duration::from_secs(10),
            quiet_before_ping: Duration::from_secs(120),
            ping_timeout: Duration::from_secs(30),
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
    /// The task, to wait for it to finish writing on exit.
    pub task: JoinHandle<()>,
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

/// How a connection ended.
enum Ending {
    /// The app closed it, or is gone: the task ends.
    Closed,
    /// The server shut down: the task ends.
    ServerShutdown,
    /// It failed or broke; `ready` says whether the server had said `hello`.
    Failed { reason: String, ready: bool },
}

async fn run(
    config: NetConfig,
    mut commands: mpsc::UnboundedReceiver<NetCommand>,
    events: mpsc::Sender<NetEvent>,
) {
    let mut delay = config.backoff_initial;
    let mut attempt = 1;
    loop {
        if events.send(NetEvent::Connecting { attempt }).await.is_err() {
            return;
        }
        let (reason, ready) = match connection(&config, &mut commands, &events).await {
            Ending::Closed | Ending::ServerShutdown => return,
            Ending::Failed { reason, ready } => (reason, ready),
        };
        if ready {
            delay = config.backoff_initial;
            attempt = 1;
        }
        tracing::info!(%reason, retry_in = ?delay, "disconnected");
        let news = NetEvent::Disconnected {
            reason,
            retry_in: delay,
        };
        if events.send(news).await.is_err() {
            return;
        }
        if !wait_for_retry(delay, &mut commands).await {
            return;
        }
        delay = (delay * 2).min(config.backoff_max);
        attempt += 1;
    }
}

/// Waits out the backoff delay, or less if the app asks to retry now; false when the
/// app closes.
async fn wait_for_retry(
    delay: Duration,
    commands: &mut mpsc::UnboundedReceiver<NetCommand>,
) -> bool {
    let deadline = Instant::now() + delay;
    loop {
        tokio::select! {
            () = sleep_until(deadline) => return true,
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

/// One connection, from connecting to its end.
async fn connection(
    config: &NetConfig,
    commands: &mut mpsc::UnboundedReceiver<NetCommand>,
    events: &mpsc::Sender<NetEvent>,
) -> Ending {
    let failed = |reason: String| Ending::Failed {
        reason,
        ready: false,
    };
    let address = (config.host.as_str(), config.port);
    let stream = match timeout(config.handshake_timeout, TcpStream::connect(address)).await {
        Err(_) => return failed("timed out connecting".to_owned()),
        Ok(Err(error)) => return failed(describe_io_error(&error)),
        Ok(Ok(stream)) => stream,
    };
    let _ = stream.set_nodelay(true);
    let (mut reader, mut writer) = stream.into_split();
    let hello = ClientFrame::Hello {
        version: PROTOCOL_VERSION,
        client: Some(config.client.clone()),
    };
    if let Err(error) = writer.write_all(&encode(&hello)).await {
        return failed(describe_io_error(&error));
    }
    let mut session = Session {
        ready: false,
        decoder: LineDecoder::new(MAX_SERVER_LINE_BYTES),
        lines: Vec::new(),
    };
    let handshake_deadline = Instant::now() + config.handshake_timeout;
    let mut quiet_deadline = Instant::now() + config.quiet_before_ping;
    let mut pinged = false;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        tokio::select! {
            read = reader.read(&mut buffer) => {
                let read = match read {
                    Ok(0) => return session.failed("the server closed the connection".to_owned()),
                    Ok(read) => read,
                    Err(error) => return session.failed(describe_io_error(&error)),
                };
                quiet_deadline = Instant::now() + config.quiet_before_ping;
                pinged = false;
                if let Some(ending) = session.receive(&buffer[..read], events).await {
                    return ending;
                }
            }
            command = commands.recv() => match command {
                None => return Ending::Closed,
                Some(NetCommand::Close) => {
                    let _ = writer.shutdown().await;
                    return Ending::Closed;
                }
                Some(NetCommand::RetryNow) => {}
                Some(NetCommand::Send(frame)) => {
                    if let Err(reason) = send(&mut writer, &frame, session.ready).await {
                        return session.failed(reason);
                    }
                }
            },
            () = sleep_until(handshake_deadline), if !session.ready => {
                return failed("the server did not answer hello in time".to_owned());
            }
            () = sleep_until(quiet_deadline), if session.ready => {
                if pinged {
                    return session.failed("the server stopped answering".to_owned());
                }
                let ping = ClientFrame::Ping { token: "chat-tui".to_owned() };
                if let Err(reason) = send(&mut writer, &ping, true).await {
                    return session.failed(reason);
                }
                pinged = true;
                quiet_deadline = Instant::now() + config.ping_timeout;
            }
        }
    }
}

/// Writes one frame, or drops it (with a log line) before the server said `hello`.
async fn send(writer: &mut OwnedWriteHalf, frame: &ClientFrame, ready: bool) -> Result<(), String> {
    if !ready {
        tracing::warn!(?frame, "not ready; frame dropped");
        return Ok(());
    }
    writer
        .write_all(&encode(frame))
        .await
        .map_err(|error| describe_io_error(&error))
}

/// The reading side of one connection.
struct Session {
    /// Whether the server said `hello` (before it, banner lines are skipped).
    ready: bool,
    /// Splits what arrives into capped lines.
    decoder: LineDecoder,
    /// Lines decoded from the last read, reused between reads.
    lines: Vec<Result<String, LineError>>,
}

impl Session {
    fn failed(&self, reason: String) -> Ending {
        Ending::Failed {
            reason,
            ready: self.ready,
        }
    }

    /// Handles the bytes of one read; `Some` when the connection must end.
    async fn receive(&mut self, bytes: &[u8], events: &mpsc::Sender<NetEvent>) -> Option<Ending> {
        self.decoder.feed(bytes, &mut self.lines);
        let lines = std::mem::take(&mut self.lines);
        for line in lines {
            let news = match line {
                Err(LineError::TooLong) => {
                    let reason = format!(
                        "protocol error: the server sent a line over {MAX_SERVER_LINE_BYTES} bytes"
                    );
                    return Some(self.failed(reason));
                }
                Err(LineError::InvalidUtf8) => {
                    return Some(
                        self.failed("protocol error: the server sent invalid UTF-8".to_owned()),
                    );
                }
                Ok(line) => match self.understand(&line) {
                    Ok(Some(news)) => news,
                    Ok(None) => continue,
                    Err(reason) => return Some(self.failed(reason)),
                },
            };
            let shutdown = matches!(news, NetEvent::Frame(ServerFrame::Shutdown { .. }));
            if events.send(news).await.is_err() {
                return Some(Ending::Closed);
            }
            if shutdown {
                return Some(Ending::ServerShutdown);
            }
        }
        None
    }

    /// What one line means: news for the app, nothing (a banner line), or a reason to
    /// give up on the connection.
    fn understand(&mut self, line: &str) -> Result<Option<NetEvent>, String> {
        if self.ready {
            return match decode_server(line) {
                Ok(frame) => Ok(Some(NetEvent::Frame(frame))),
                Err(error) => {
                    tracing::warn!(%error, line = %line.chars().take(200).collect::<String>(), "bad frame");
                    Err("protocol error: the server sent something that is not a frame".to_owned())
                }
            };
        }
        if let Some((code, reason)) = parse_refusal(line) {
            tracing::info!(code, reason, "refused");
            return Err(format!("refused by the server: {reason}"));
        }
        match decode_server(line) {
            Ok(ServerFrame::Hello {
                version,
                server,
                max_line_bytes,
                ..
            }) => {
                if version != PROTOCOL_VERSION {
                    return Err(format!(
                        "the server speaks protocol version {version}, this client {PROTOCOL_VERSION}"
                    ));
                }
                self.ready = true;
                tracing::info!(%server, "connected");
                Ok(Some(NetEvent::Connected {
                    server,
                    max_line_bytes,
                }))
            }
            Ok(ServerFrame::Error { message, .. }) => {
                Err(format!("refused by the server: {message}"))
            }
            Ok(frame @ ServerFrame::Shutdown { .. }) => Ok(Some(NetEvent::Frame(frame))),
            Ok(_) | Err(_) => {
                tracing::debug!(%line, "banner line skipped");
                Ok(None)
            }
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
