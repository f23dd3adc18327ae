//! Logging in, as a returning member does: the `hello` and `login` frames (with a
//! password for a registered name), one connect / login / quit cycle timed to its
//! `welcome`, and making a name an account with `register`.
//!
//! These clients are blocking and alone on their connection: they measure one login at
//! a time, not a crowd (the fleet is for crowds).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chat_shared::PROTOCOL_VERSION;
use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame, decode_server, encode};

use super::{Greeting, classify_handshake_line, open};

/// The `hello` frame that opens every connection.
pub fn hello() -> Vec<u8> {
    encode(&ClientFrame::Hello {
        version: PROTOCOL_VERSION,
        client: Some(format!("chat-bench {}", env!("CARGO_PKG_VERSION"))),
    })
}

/// A `login` frame for `name`, with `password` for a registered name. A connection
/// whose login was refused may send another.
pub fn login(name: &str, password: Option<&str>) -> Vec<u8> {
    encode(&ClientFrame::Login {
        password: password.map(str::to_owned),
        after: None,
        name: name.to_owned(),
    })
}

/// A login the server refused, with its code: a guesser tells a wrong password (which
/// the server hashed) from a throttled one (which it refused without hashing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRefusal {
    /// `wrong_password`, `throttled`, ...
    pub code: ErrorCode,
    /// The reason, for display.
    pub message: String,
}

/// Reads the answer to a `login` on `reader`: `Ok(None)` for `welcome`, the refusal
/// for `name_rejected`; other lines (the banner, notices) are skipped.
pub fn read_login_answer(reader: &mut impl BufRead) -> Result<Option<LoginRefusal>> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!("closed before answering the login");
        }
        let text = String::from_utf8_lossy(line.trim_ascii_end());
        match decode_server(&text) {
            Ok(ServerFrame::Welcome { .. }) => return Ok(None),
            Ok(ServerFrame::NameRejected { code, message, .. }) => {
                return Ok(Some(LoginRefusal { code, message }));
            }
            _ => {
                if let Some(Greeting::Refused(why)) = classify_handshake_line(&line) {
                    bail!("refused: {why}");
                }
            }
        }
    }
}

/// One cycle: connect, `hello` + `login` as `name` (with `password` for a registered
/// name), wait for `welcome`, `quit`, wait until the server closes the connection (by
/// then the name is free again).
///
/// Returns the time from connecting to `welcome`: what logging in costs the member.
pub fn login_and_quit(
    addr: SocketAddr,
    name: &str,
    password: Option<&str>,
    patience: Duration,
) -> Result<Duration> {
    let start = Instant::now();
    let mut opening = hello();
    opening.extend(login(name, password));
    let stream = open(addr, &opening).context("cannot connect")?;
    stream.set_read_timeout(Some(patience))?;
    let mut reader = BufReader::new(&stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!("closed before welcome");
        }
        match classify_handshake_line(line.trim_ascii_end()) {
            Some(Greeting::Welcome) => break,
            Some(Greeting::Refused(why)) => bail!("refused: {why}"),
            _ => {}
        }
    }
    let welcomed = start.elapsed();
    quit_and_drain(&stream, &mut reader)?;
    Ok(welcomed)
}

/// Logs in as the free name `name`, makes it an account with `password`, and quits.
pub fn register(addr: SocketAddr, name: &str, password: &str, patience: Duration) -> Result<()> {
    let mut opening = hello();
    opening.extend(login(name, None));
    opening.extend(encode(&ClientFrame::Register {
        password: password.to_owned(),
    }));
    let stream = open(addr, &opening).context("cannot connect")?;
    stream.set_read_timeout(Some(patience))?;
    let mut reader = BufReader::new(&stream);
    if let Some(refusal) = read_login_answer(&mut reader)? {
        bail!("{name} was refused: {}", refusal.message);
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            bail!("closed before {name} was registered");
        }
        match decode_server(&String::from_utf8_lossy(line.trim_ascii_end())) {
            Ok(ServerFrame::Account {
                registered: true, ..
            }) => break,
            Ok(ServerFrame::Error { message, .. }) => bail!("cannot register {name}: {message}"),
            _ => {}
        }
    }
    quit_and_drain(&stream, &mut reader)
}

/// Sends `quit` and reads until the server closes the connection.
fn quit_and_drain(stream: &TcpStream, reader: &mut impl BufRead) -> Result<()> {
    let mut writer = stream;
    writer.write_all(&encode(&ClientFrame::Quit { reason: None }))?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
    }
}
