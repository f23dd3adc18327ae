//! One connection, from connecting to its end.
//!
//! Reading never waits on writing: the socket is read, written, and the app's commands
//! taken in one `select!`, where a write the socket cannot take yet simply stays pending
//! (a `write` that loses the race has written nothing). So while the server is slow to
//! take what the client sends, the client still reads everything the server sends it,
//! and the server never drops it as a slow reader.

use std::io;
use std::time::Duration;

use chat_shared::PROTOCOL_VERSION;
use chat_shared::frame::{ClientFrame, encode};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream, lookup_host};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until, timeout};

use super::incoming::{Incoming, Phase, Stop};
use super::outgoing::Outgoing;
use super::tls::HandshakeFailure;
use super::{NetCommand, NetConfig, describe_io_error};
use crate::event::NetEvent;
use crate::trust::verifier::Distrust;

/// How a connection ended.
pub(super) enum Ending {
    /// The app closed it, or is gone: the task ends.
    Closed,
    /// An operator kicked or banned the user: the task tries again only when the app
    /// asks.
    Removed {
        /// Why, for display.
        reason: String,
    },
    /// The server's certificate is refused: the task ends.
    Refused(Distrust),
    /// It failed, broke, or the server shut down: the task tries again.
    Failed {
        /// Why, for display.
        reason: String,
        /// How long it was up after the server's `hello`; `None` if it never got there.
        up_for: Option<Duration>,
        /// The window the server suggested for reconnecting, when it shut down.
        suggested: Option<Duration>,
    },
}

/// Connects, says `hello`, and serves the connection until it ends.
pub(super) async fn connection(
    config: &NetConfig,
    commands: &mut mpsc::UnboundedReceiver<NetCommand>,
    events: &mpsc::Sender<NetEvent>,
) -> Ending {
    let failed = |reason: String| Ending::Failed {
        reason,
        up_for: None,
        suggested: None,
    };
    let (mut reader, mut writer) = match timeout(config.handshake_timeout, open(config)).await {
        Err(_) => return failed("timed out connecting".to_owned()),
        Ok(Err(HandshakeFailure::Failed(reason))) => return failed(reason),
        Ok(Err(refusal)) if refusal.is_ban() => {
            return Ending::Removed {
                reason: refusal.to_string(),
            };
        }
        Ok(Err(refusal @ HandshakeFailure::Refused { .. })) => return failed(refusal.to_string()),
        Ok(Err(HandshakeFailure::Distrust(distrust))) => return Ending::Refused(distrust),
        Ok(Ok(halves)) => halves,
    };
    let mut outgoing = Outgoing::default();
    outgoing.push(&encode(&ClientFrame::Hello {
        version: PROTOCOL_VERSION,
        client: Some(config.client.clone()),
    }));
    let mut incoming = Incoming::new();
    let broke = |incoming: &Incoming, reason: String| Ending::Failed {
        reason,
        up_for: incoming.up_for(),
        suggested: None,
    };
    let handshake_deadline = Instant::now() + config.handshake_timeout;
    let mut quiet_deadline = Instant::now() + config.quiet_before_ping;
    let mut pinged = false;
    // Whether TLS may hold written bytes it could not pass to the socket yet.
    let mut unflushed = false;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let greeting = incoming.phase() == Phase::Greeting;
        tokio::select! {
            read = reader.read(&mut buffer) => {
                let read = match read {
                    Ok(0) => return broke(&incoming, "the server closed the connection".to_owned()),
                    Ok(read) => read,
                    Err(error) => return broke(&incoming, describe_io_error(&error)),
                };
                quiet_deadline = Instant::now() + config.quiet_before_ping;
                pinged = false;
                match incoming.receive(&buffer[..read], events).await {
                    Ok(()) => {}
                    Err(Stop::AppGone) => return Ending::Closed,
                    Err(Stop::ServerShutdown(suggested)) => {
                        return Ending::Failed {
                            reason: "the server shut down".to_owned(),
                            up_for: incoming.up_for(),
                            suggested,
                        };
                    }
                    Err(Stop::Failed(reason)) => return broke(&incoming, reason),
                    Err(Stop::Removed(reason)) => return Ending::Removed { reason },
                }
            }
            written = write_or_flush(&mut writer, outgoing.pending()), if !outgoing.is_empty() || unflushed => match written {
                Ok(count) => {
                    outgoing.written(count);
                    unflushed = count > 0;
                }
                Err(error) => return broke(&incoming, describe_io_error(&error)),
            },
            command = commands.recv() => match command {
                None => return Ending::Closed,
                Some(NetCommand::Close) => {
                    let _ = writer.write_all(outgoing.pending()).await;
                    let _ = writer.shutdown().await;
                    return Ending::Closed;
                }
                Some(NetCommand::RetryNow) => {}
                Some(NetCommand::Send(frame)) => {
                    if incoming.phase().accepts(&frame) {
                        outgoing.push(&encode(&frame));
                    } else {
                        tracing::warn!(?frame, phase = ?incoming.phase(), "not the time for this frame; dropped");
                    }
                }
            },
            () = sleep_until(handshake_deadline), if greeting => {
                return failed("the server did not answer hello in time".to_owned());
            }
            () = sleep_until(quiet_deadline), if !greeting => {
                if pinged {
                    return broke(&incoming, "the server stopped answering".to_owned());
                }
                outgoing.push(&encode(&ClientFrame::Ping { token: "chat-tui".to_owned() }));
                pinged = true;
                quiet_deadline = Instant::now() + config.ping_timeout;
            }
        }
    }
}

/// The reading half of a connection, plain or TLS.
type Reader = Box<dyn AsyncRead + Send + Unpin>;

/// The writing half of a connection, plain or TLS.
type Writer = Box<dyn AsyncWrite + Send + Unpin>;

/// Connects, with TLS if the config asks for it.
async fn open(config: &NetConfig) -> Result<(Reader, Writer), HandshakeFailure> {
    let stream = connect(config)
        .await
        .map_err(|error| HandshakeFailure::Failed(describe_io_error(&error)))?;
    let _ = stream.set_nodelay(true);
    match &config.tls {
        None => {
            let (reader, writer) = stream.into_split();
            Ok((Box::new(reader), Box::new(writer)))
        }
        Some(tls) => {
            let (reader, writer) = tokio::io::split(tls.secure(stream).await?);
            Ok((Box::new(reader), Box::new(writer)))
        }
    }
}

/// Writes some of `pending`, or with nothing pending, flushes what TLS still holds (it
/// can take bytes the socket cannot yet, and sends them only when written to or
/// flushed). Either way, cancelling it loses nothing: a write that did not finish
/// wrote nothing.
async fn write_or_flush(writer: &mut Writer, pending: &[u8]) -> io::Result<usize> {
    if pending.is_empty() {
        writer.flush().await?;
        Ok(0)
    } else {
        writer.write(pending).await
    }
}

/// Opens a TCP connection to the first of the host's addresses that answers, with the
/// socket buffers asked for in the config.
pub(super) async fn connect(config: &NetConfig) -> io::Result<TcpStream> {
    let mut last_error = None;
    for address in lookup_host((config.host.as_str(), config.port)).await? {
        let socket = if address.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        if let Some(bytes) = config.socket_buffer_bytes {
            socket.set_send_buffer_size(bytes)?;
            socket.set_recv_buffer_size(bytes)?;
        }
        match socket.connect(address).await {
            Ok(stream) => return Ok(stream),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error
        .unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "the host name has no address")))
}
