//! The guessing storm: attacker connections that send logins with wrong passwords for
//! registered names, one after another, for as long as the storm lasts.
//!
//! Each attacker keeps one connection and sends its next `login` as soon as the last
//! one was refused (a refused login leaves the connection free to try again). The
//! names are taken in turn from one shared list, so that the guesses spread evenly over
//! all of them, as an attacker who knows the server's per-name throttle would spread
//! them. The server's answer says what each guess cost it: `wrong_password` was hashed,
//! `throttled` was refused without hashing.

use std::io::{BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::Result;
use chat_shared::frame::ErrorCode;
use serde::Serialize;

use crate::client::{hello, login, read_login_answer};

/// The pause before an attacker tries again after its connection failed.
const RECONNECT_PAUSE: Duration = Duration::from_millis(20);

/// What the attackers counted.
#[derive(Debug, Default)]
struct Counts {
    /// Guesses answered `wrong_password`: the server hashed them.
    hashed: AtomicU64,
    /// Guesses answered `throttled`: refused without hashing.
    throttled: AtomicU64,
    /// Any other answer, or a connection lost.
    other: AtomicU64,
    /// The first of those, with what happened.
    first_other: Mutex<Option<String>>,
}

impl Counts {
    fn other(&self, what: String) {
        self.other.fetch_add(1, Ordering::Relaxed);
        self.first_other
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(what);
    }
}

/// A storm in progress.
pub struct Storm {
    stop: Arc<AtomicBool>,
    counts: Arc<Counts>,
    attackers: Vec<JoinHandle<()>>,
    names: usize,
    started: Instant,
}

/// What a storm did, as the server answered it.
#[derive(Debug, Clone, Serialize)]
pub struct StormFigures {
    /// Attacker connections.
    pub attackers: usize,
    /// Registered names guessed at.
    pub names: usize,
    /// How long the storm lasted, in seconds.
    pub seconds: f64,
    /// Guesses the server hashed (answered `wrong_password`).
    pub hashed: u64,
    /// Guesses the server refused without hashing (answered `throttled`).
    pub throttled: u64,
    /// Other answers and lost connections (0 in a sound run).
    pub other: u64,
    /// What the first of those was.
    pub first_other: Option<String>,
    /// Hashed guesses per second: the hashing the attackers obtained.
    pub hashes_per_second: f64,
}

impl Storm {
    /// Starts `attackers` connections guessing at `names` on the server at `addr`.
    pub fn start(
        addr: SocketAddr,
        attackers: usize,
        names: Vec<String>,
        patience: Duration,
    ) -> Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let counts = Arc::new(Counts::default());
        let names = Arc::new(names);
        let next = Arc::new(AtomicUsize::new(0));
        let handles = (0..attackers)
            .map(|index| {
                let attacker = Attacker {
                    addr,
                    names: Arc::clone(&names),
                    next: Arc::clone(&next),
                    stop: Arc::clone(&stop),
                    counts: Arc::clone(&counts),
                    patience,
                };
                thread::Builder::new()
                    .name(format!("attacker-{index}"))
                    .spawn(move || attacker.run())
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Self {
            stop,
            counts,
            attackers: handles,
            names: names.len(),
            started: Instant::now(),
        })
    }

    /// Stops the attackers (each after the answer to its last guess) and counts.
    pub fn stop(self) -> StormFigures {
        self.stop.store(true, Ordering::Relaxed);
        let attackers = self.attackers.len();
        for attacker in self.attackers {
            if attacker.join().is_err() {
                self.counts.other("an attacker panicked".to_owned());
            }
        }
        let seconds = self.started.elapsed().as_secs_f64();
        let hashed = self.counts.hashed.load(Ordering::Relaxed);
        StormFigures {
            attackers,
            names: self.names,
            seconds,
            hashed,
            throttled: self.counts.throttled.load(Ordering::Relaxed),
            other: self.counts.other.load(Ordering::Relaxed),
            first_other: self
                .counts
                .first_other
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
            hashes_per_second: hashed as f64 / seconds,
        }
    }
}

/// One attacker's thread.
struct Attacker {
    addr: SocketAddr,
    names: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    counts: Arc<Counts>,
    patience: Duration,
}

impl Attacker {
    fn run(self) {
        let mut connection = None;
        let mut guess = 0u64;
        while !self.stop.load(Ordering::Relaxed) {
            let (writer, reader) = match connection.as_mut() {
                Some(connection) => connection,
                None => match self.connect() {
                    Ok(opened) => connection.insert(opened),
                    Err(e) => {
                        self.counts.other(format!("cannot connect: {e}"));
                        thread::sleep(RECONNECT_PAUSE);
                        continue;
                    }
                },
            };
            let name = &self.names[self.next.fetch_add(1, Ordering::Relaxed) % self.names.len()];
            guess += 1;
            let password = format!("wrong guess {guess}");
            let answer = writer
                .write_all(&login(name, Some(&password)))
                .map_err(anyhow::Error::from)
                .and_then(|()| read_login_answer(reader));
            match answer {
                Ok(Some(refusal)) if refusal.code == ErrorCode::WrongPassword => {
                    self.counts.hashed.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Some(refusal)) if refusal.code == ErrorCode::Throttled => {
                    self.counts.throttled.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Some(refusal)) => self.counts.other(refusal.message),
                Ok(None) => {
                    self.counts
                        .other(format!("a wrong password for {name} was accepted"));
                    connection = None;
                }
                Err(e) => {
                    self.counts.other(format!("connection lost: {e:#}"));
                    connection = None;
                }
            }
        }
    }

    /// A connection that has said `hello` and may guess.
    fn connect(&self) -> std::io::Result<(TcpStream, BufReader<TcpStream>)> {
        let mut stream = TcpStream::connect(self.addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(self.patience))?;
        stream.write_all(&hello())?;
        let reader = BufReader::new(stream.try_clone()?);
        Ok((stream, reader))
    }
}
