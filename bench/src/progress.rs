//! The progress line on stderr while a scenario runs.
//!
//! On a terminal the line is redrawn in place four times a second; elsewhere (a log, a
//! pipe) a line is printed every few seconds, so that a long run still shows life without
//! flooding the log.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A thread printing a progress line until it is dropped.
pub struct Progress {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Prints `render(seconds since start)` periodically.
    pub fn start(mut render: impl FnMut(f64) -> String + Send + 'static) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let period = if terminal {
            Duration::from_millis(250)
        } else {
            Duration::from_secs(5)
        };
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("progress".to_owned())
            .spawn(move || {
                let start = Instant::now();
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(period) {
                    let line = render(start.elapsed().as_secs_f64());
                    let mut stderr = std::io::stderr().lock();
                    let _ = if terminal {
                        write!(stderr, "\r\x1b[K{line}")
                    } else {
                        writeln!(stderr, "{line}")
                    };
                    let _ = stderr.flush();
                }
                if terminal {
                    eprint!("\r\x1b[K");
                }
            })
            .ok();
        Self {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
