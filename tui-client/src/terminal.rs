//! Taking over the terminal, and giving it back on every path out, panics included.
//!
//! The client turns on raw mode, the alternate screen, mouse capture (for the wheel) and
//! bracketed paste (so a multi-line paste is one event). All four must be undone whether
//! the client quits, fails, is told to stop by a signal, or panics: [`TerminalGuard`]
//! undoes them when dropped, and [`install_panic_hook`] undoes them before the panic
//! message is printed, so that the message is readable. (`ratatui::init`'s hook only
//! undoes raw mode and the alternate screen, hence our own.)
//!
//! Restoring happens once: leaving the alternate screen also restores the cursor
//! position saved on entering it, so a second restore (the guard dropped while a panic
//! unwinds, after the hook already restored) would move the cursor back up and write
//! over the panic message.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Whether the terminal is in the client's modes (and so needs restoring).
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Puts the terminal into the client's modes; undone when dropped.
#[derive(Debug)]
pub struct TerminalGuard(());

impl TerminalGuard {
    /// Enters raw mode, the alternate screen, mouse capture and bracketed paste.
    ///
    /// If any step fails, what was already done is undone before the error is returned.
    pub fn enter() -> io::Result<Self> {
        enable_raw_mode()?;
        ENTERED.store(true, Ordering::SeqCst);
        let guard = TerminalGuard(());
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Undoes every mode the client turns on, once; each step is tried even if another
/// fails.
pub fn restore() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, DisableBracketedPaste);
    let _ = execute!(out, DisableMouseCapture);
    let _ = execute!(out, LeaveAlternateScreen);
    let _ = execute!(out, Show);
    let _ = out.flush();
}

/// Makes a panic restore the terminal first, then report as usual.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
