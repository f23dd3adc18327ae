//! Test clients that talk to a real server over loopback TCP, shared by the test crates.
//!
//! Every wait is for an observable event (a line, a frame, a closed connection) with a
//! generous deadline; nothing sleeps for a fixed time. Every line received is checked for
//! control and bidi characters, so each test also checks that none ever reaches a client.
//! [`process`] runs the server binary, for tests that need a process of their own.

pub mod process;
pub mod stuck_reader;
pub mod tls;

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use chat_server::{Config, Server};
use chat_shared::codec::LineDecoder;
use chat_shared::frame::{ClientFrame, ServerFrame, decode_server, encode};
use chat_shared::text::is_bidi_control;
use serde_json::Value;

/// How long any expected event may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// How often a condition that cannot be waited on (a count in `/proc`, the server's
/// connection count) is checked while waiting for it.
const POLL: Duration = Duration::from_millis(10);

/// An address of this machine that is not loopback, if it has one: connecting to it
/// from here shows the server a peer that is not loopback (as a user elsewhere is).
pub fn non_loopback_address() -> Option<IpAddr> {
    let probe = UdpSocket::bind("0.0.0.0:0").ok()?;
    probe.connect("192.0.2.1:9").ok()?;
    let ip = probe.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// Waits until `check` holds, for at most `patience`; returns whether it did.
pub fn eventually(patience: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + patience;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL);
    }
}

/// Starts a server on a free loopback port with test-friendly limits, adjusted by `tweak`:
/// loopback is exempt from the per-address limits (every test client shares it),
/// newcomers are announced at once, and a connection is greeted without waiting to see
/// whether it speaks TLS (so a TLS client needs a test that sets `tls_detect_wait`).
/// Tests of those limits turn them back on.
pub fn start_server(tweak: impl FnOnce(&mut Config)) -> Server {
    let mut config = Config {
        port: 0,
        bind: Ipv4Addr::LOCALHOST.into(),
        shutdown_grace: Duration::from_secs(1),
        exempt: vec!["127.0.0.0/8".parse().unwrap()],
        announce_delay: Duration::ZERO,
        tls_detect_wait: Duration::ZERO,
        ..Config::default()
    };
    tweak(&mut config);
    Server::start(config).expect("server starts")
}

/// A raw line-oriented connection, in cleartext or inside TLS.
pub struct Conn {
    stream: TcpStream,
    /// The TLS session when the connection is encrypted.
    tls: Option<Box<rustls::ClientConnection>>,
    decoder: LineDecoder,
    lines: VecDeque<String>,
    /// Every line received so far, for failure messages.
    pub seen: Vec<String>,
    closed: bool,
}

impl Conn {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> Self {
        Self::from_stream(TcpStream::connect(addr).expect("connect"))
    }

    /// Wraps an already connected stream.
    pub fn from_stream(stream: TcpStream) -> Self {
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        Self {
            stream,
            tls: None,
            decoder: LineDecoder::new(usize::MAX / 2),
            lines: VecDeque::new(),
            seen: Vec::new(),
            closed: false,
        }
    }

    /// Sends `line` followed by `\n`.
    pub fn send_line(&mut self, line: &str) {
        self.send_raw(format!("{line}\n").as_bytes());
    }

    /// Sends bytes exactly as given (encrypted first on a TLS connection).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        match &mut self.tls {
            None => self.stream.write_all(bytes).expect("send"),
            Some(tls) => {
                tls.writer().write_all(bytes).expect("send");
                while tls.wants_write() {
                    tls.write_tls(&mut self.stream).expect("send");
                }
            }
        }
    }

    /// The socket, for tests that need to shape it.
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// The next line, or `None` once the server has closed the connection.
    pub fn next_line(&mut self) -> Option<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.lines.pop_front() {
                return Some(line);
            }
            if self.closed {
                return None;
            }
            assert!(
                Instant::now() < deadline,
                "no line within {PATIENCE:?}; seen: {:#?}",
                self.seen
            );
            self.read_some();
        }
    }

    /// Reads lines until one satisfies `wanted`, and returns it.
    pub fn expect_line(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        loop {
            match self.next_line() {
                Some(line) if wanted(&line) => return line,
                Some(_) => {}
                None => panic!("connection closed while waiting; seen: {:#?}", self.seen),
            }
        }
    }

    /// Reads until the server closes the connection; returns the lines that came first.
    pub fn expect_closed(&mut self) -> Vec<String> {
        let mut rest = Vec::new();
        while let Some(line) = self.next_line() {
            rest.push(line);
        }
        rest
    }

    fn read_some(&mut self) {
        let mut buf = [0u8; 16 * 1024];
        let read = match &mut self.tls {
            None => self.stream.read(&mut buf),
            Some(tls) => tls::read_plaintext(tls, &mut self.stream, &mut buf),
        };
        match read {
            Ok(0) => self.closed = true,
            Ok(read) => {
                let mut out = Vec::new();
                self.decoder.feed(&buf[..read], &mut out);
                for line in out {
                    let line = line.expect("the server sends UTF-8 lines");
                    assert!(
                        !line.chars().any(|c| c.is_control() || is_bidi_control(c)),
                        "control or bidi character reached a client: {line:?}"
                    );
                    self.seen.push(line.clone());
                    self.lines.push_back(line);
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => self.closed = true,
        }
    }
}

/// A person with `nc`: plain mode.
pub struct Plain(pub Conn);

impl Plain {
    /// Connects and reads the banner up to the name prompt.
    pub fn connect(addr: SocketAddr) -> Self {
        Self::greeted(Conn::connect(addr))
    }

    /// Reads the banner of `conn`, just connected, up to the name prompt.
    pub fn greeted(mut conn: Conn) -> Self {
        conn.expect_line(|l| l.starts_with("* Choose a username"));
        Self(conn)
    }

    /// Connects and types `name` before anything arrives, as a quick `nc` user would;
    /// waits until joined.
    pub fn join_typing_first(addr: SocketAddr, name: &str) -> Self {
        let mut conn = Conn::connect(addr);
        conn.send_line(name);
        conn.expect_line(|l| l.starts_with("* Type a message"));
        Self(conn)
    }

    /// Connects and joins as `name`.
    pub fn join(addr: SocketAddr, name: &str) -> Self {
        let mut plain = Self::connect(addr);
        plain.0.send_line(name);
        plain.0.expect_line(|l| l.starts_with("* Welcome,"));
        plain.0.expect_line(|l| l.starts_with("* Type a message"));
        plain
    }

    /// Types a line.
    pub fn say(&mut self, line: &str) {
        self.0.send_line(line);
    }

    /// Waits for a line containing `needle`.
    pub fn expect(&mut self, needle: &str) -> String {
        self.0.expect_line(|l| l.contains(needle))
    }

    /// Waits for an error line (`! ...`).
    pub fn expect_error(&mut self) -> String {
        self.0.expect_line(|l| l.starts_with("! "))
    }
}

/// A program speaking the structured protocol.
pub struct Structured(pub Conn);

impl Structured {
    /// Connects and completes the `hello` exchange.
    pub fn connect(addr: SocketAddr) -> Self {
        Self::over(Conn::connect(addr))
    }

    /// Completes the `hello` exchange on `conn`, just connected.
    pub fn over(conn: Conn) -> Self {
        let mut structured = Self(conn);
        structured.send(&ClientFrame::Hello {
            version: chat_shared::PROTOCOL_VERSION,
            client: Some("tests".into()),
        });
        structured.expect(|f| matches!(f, ServerFrame::Hello { .. }));
        structured
    }

    /// Connects and joins as `name`; returns the client and the roster it was welcomed with.
    pub fn join(addr: SocketAddr, name: &str) -> (Self, Vec<String>) {
        Self::login(Self::connect(addr), name)
    }

    /// Joins as `name` after the `hello` exchange; returns the client and the roster it
    /// was welcomed with.
    pub fn login(mut structured: Self, name: &str) -> (Self, Vec<String>) {
        structured.send(&ClientFrame::Login {
            password: None,
            after: None,
            name: name.into(),
        });
        match structured.next_frame() {
            Some(ServerFrame::Welcome { roster, .. }) => (structured, roster),
            other => panic!("{name} was not welcomed: {other:?}"),
        }
    }

    /// Sends a frame.
    pub fn send(&mut self, frame: &ClientFrame) {
        self.0.send_raw(&encode(frame));
    }

    /// Sends a `say`.
    pub fn say(&mut self, text: &str) {
        self.send(&ClientFrame::Say {
            nonce: None,
            room: None,
            text: text.into(),
        });
    }

    /// The next frame (banner lines skipped), or `None` once the connection is closed.
    pub fn next_frame(&mut self) -> Option<ServerFrame> {
        loop {
            let line = self.0.next_line()?;
            if !line.starts_with('{') {
                continue;
            }
            assert_clean(&line);
            let frame = decode_server(&line).expect("the server sends valid frames");
            return Some(frame);
        }
    }

    /// Reads frames until one satisfies `wanted`, and returns it.
    pub fn expect(&mut self, wanted: impl Fn(&ServerFrame) -> bool) -> ServerFrame {
        loop {
            match self.next_frame() {
                Some(frame) if wanted(&frame) => return frame,
                Some(_) => {}
                None => panic!("connection closed while waiting; seen: {:#?}", self.0.seen),
            }
        }
    }
}

/// Every string in a frame must be as clean as a plain line: no control or bidi
/// character, except `\n` in texts (a multi-line message); names hold no `\n` either.
fn assert_clean(line: &str) {
    fn walk(value: &Value, in_name: bool, line: &str) {
        match value {
            Value::String(text) => assert!(
                !text
                    .chars()
                    .any(|c| (c.is_control() && (c != '\n' || in_name)) || is_bidi_control(c)),
                "control or bidi character reached a client: {line}"
            ),
            Value::Array(items) => items.iter().for_each(|item| walk(item, in_name, line)),
            Value::Object(fields) => {
                for (key, field) in fields {
                    let is_name = NAME_FIELDS.contains(&key.as_str());
                    walk(field, is_name, line);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    let value: Value = serde_json::from_str(line).expect("the server sends JSON frames");
    walk(&value, false, line);
}

/// Fields of server frames that hold user names.
const NAME_FIELDS: &[&str] = &["name", "from", "to", "old", "new", "roster", "names", "by"];
