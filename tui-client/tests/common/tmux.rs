//! Driving real terminal programs in tmux: a private tmux server per test (its own
//! socket name, no user configuration), killed when the test ends, even on failure.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::PATIENCE;

/// How often a screen is read again while waiting for text on it.
const POLL: Duration = Duration::from_millis(50);

/// A private tmux server.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A tmux server nobody else uses.
    pub fn new(test: &str) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "chat-tui-{test}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        Self { socket }
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs (install it: apt-get install tmux)")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.tmux(args);
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Starts `script` (a shell script) in a new session of `width` x `height`.
    pub fn start(&self, session: &str, width: u16, height: u16, script: &Path) {
        let command = format!("sh {}", script.display());
        self.ok(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &command,
        ]);
    }

    /// Sends keys, in tmux's `send-keys` notation (`Enter`, `C-u`, or literal text).
    pub fn keys(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend_from_slice(keys);
        self.ok(&args);
    }

    /// Types text literally (no key names).
    pub fn type_text(&self, session: &str, text: &str) {
        self.ok(&["send-keys", "-t", session, "-l", text]);
    }

    /// Pastes text the way a terminal does, bracketed if the program asked for it.
    pub fn paste(&self, session: &str, text: &str) {
        self.ok(&["set-buffer", "--", text]);
        self.ok(&["paste-buffer", "-p", "-t", session]);
    }

    /// The screen as text.
    pub fn screen(&self, session: &str) -> String {
        self.ok(&["capture-pane", "-p", "-t", session])
    }

    /// A tmux format evaluated for the session's pane (e.g. `#{alternate_on}`).
    pub fn format(&self, session: &str, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", session, format])
            .trim()
            .to_owned()
    }

    /// Waits until the screen satisfies `done`; panics with the screen after the
    /// patience runs out.
    pub fn wait_for(&self, session: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.screen(session);
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen of {session}:\n{screen}"
            );
            thread::sleep(POLL);
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for_text(&self, session: &str, text: &str) -> String {
        self.wait_for(session, &format!("{text:?}"), |screen| {
            screen.contains(text)
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// A shell script that runs `command`, then reports how it exited and what state the
/// terminal was left in, then echoes what is typed (`cat -v` shows escape codes).
pub fn script_reporting_terminal_state(dir: &Path, command: &str) -> std::path::PathBuf {
    let path = dir.join("run.sh");
    let script = format!(
        "{command}\n\
         echo \"EXIT:$?\"\n\
         printf 'MODES:%s\\n' \"$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' ')\"\n\
         exec cat -v\n"
    );
    std::fs::write(&path, script).unwrap();
    path
}

/// Asserts that the program in `session` exited and gave the terminal back: canonical
/// mode with echo, main screen, no mouse reporting, no bracketed paste.
pub fn assert_terminal_restored(tmux: &Tmux, session: &str) -> String {
    let screen = tmux.wait_for_text(session, "MODES:");
    assert!(
        screen.contains("MODES:icanon echo"),
        "raw mode left on:\n{screen}"
    );
    assert_eq!(
        tmux.format(session, "#{alternate_on}"),
        "0",
        "alternate screen left on"
    );
    let mouse = tmux.format(
        session,
        "#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}",
    );
    assert_eq!(mouse, "0000", "mouse reporting left on");
    tmux.paste(session, "PASTED");
    tmux.keys(session, &["Enter"]);
    let screen = tmux.wait_for_text(session, "PASTED");
    assert!(
        !screen.contains("200~"),
        "bracketed paste left on:\n{screen}"
    );
    screen
}
