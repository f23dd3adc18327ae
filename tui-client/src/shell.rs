//! The thin async shell around [`App`]: it joins the terminal's events, the network
//! task, two timers (the countdown's ticks, and the moment the flood budget lets the next
//! message go) and the [stopping signals](crate::signals) under one `tokio::select!`,
//! feeds them to [`App::update`], carries out the effects, and redraws only when
//! something changed, once per burst of events. It sleeps while nothing happens: no
//! polling, so an idle client uses no CPU.
//!
//! The terminal is read through crossterm's `use-dev-tty` source (level-triggered
//! `poll(2)`): its default mio source is edge-triggered and leaves input beyond one
//! 1 KiB read unread until the next key press (crossterm PR #1057), which the end-to-end
//! test's burst of typing catches.

use std::io::{self, Write};
use std::time::Duration;

use anyhow::Context;
use crossterm::event::Event as TerminalEvent;
use futures_util::{Stream, StreamExt};
use ratatui::DefaultTerminal;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::time::{Instant, sleep_until};

use crate::app::{App, Config, Effect};
use crate::event::Event;
use crate::net::{NetCommand, NetHandle};
use crate::signals::StopSignals;
use crate::terminal::{TerminalGuard, install_panic_hook};
use crate::ui;

/// How long quitting waits for the `quit` frame to be written.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Takes over the terminal, runs the client until it quits, and gives the terminal back
/// (on errors, stopping signals and panics too). `net` is the network task and `input`
/// the terminal's event stream: `net::spawn` and crossterm's `EventStream` in the binary.
/// The signals are caught before the terminal is taken over, so none of them can leave
/// it in raw mode.
///
/// If the network task ends (it refused the server's certificate, or panicked), the
/// client ends with its error, printed once the terminal is given back, rather than show
/// "connecting" forever.
pub async fn run_in_terminal<S>(config: Config, net: NetHandle, input: S) -> anyhow::Result<()>
where
    S: Stream<Item = io::Result<TerminalEvent>> + Unpin,
{
    let mut stop = StopSignals::catch().context("cannot catch signals")?;
    install_panic_hook();
    let guard = TerminalGuard::enter().context("cannot set up the terminal")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    let app = App::new(config, (size.width, size.height));
    let result = run(&mut terminal, app, net, input, &mut stop).await;
    drop(guard);
    result
}

/// The event loop.
async fn run<S>(
    terminal: &mut DefaultTerminal,
    mut app: App,
    mut net: NetHandle,
    mut input: S,
    stop: &mut StopSignals,
) -> anyhow::Result<()>
where
    S: Stream<Item = io::Result<TerminalEvent>> + Unpin,
{
    let mut next_tick: Option<Instant> = None;
    let mut dirty = true;
    loop {
        if app.wants_ticks() && next_tick.is_none() {
            next_tick = Some(Instant::now() + Duration::from_secs(1));
        }
        let wake = app.wake_at().map(Instant::from_std);
        // Biased: whatever is ready is handled first, and the screen is drawn only when
        // nothing else is, so a burst of input or frames costs one redraw, not one each.
        // (And a network task that died is noticed before anything is drawn again: its
        // panic gave the terminal back already.)
        let event = tokio::select! {
            biased;
            () = stop.recv() => break,
            terminal_event = input.next() => match terminal_event {
                Some(Ok(terminal_event)) => match Event::from_terminal(terminal_event) {
                    Some(event) => event,
                    None => continue,
                },
                Some(Err(error)) => return Err(error).context("cannot read the terminal"),
                None => break,
            },
            news = net.events.recv() => match news {
                Some(news) => Event::Net(news),
                None => return Err(net.failure().await),
            },
            () = sleep_until(next_tick.unwrap_or_else(Instant::now)), if next_tick.is_some() => {
                next_tick = None;
                Event::Tick
            }
            () = sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => Event::Wake,
            () = std::future::ready(()), if dirty => {
                terminal.draw(|frame| ui::render(&app, frame))?;
                dirty = false;
                continue;
            }
        };
        let update = app.update(event);
        dirty |= update.redraw;
        for effect in update.effects {
            match effect {
                Effect::Send(frame) => net.command(NetCommand::Send(frame)),
                Effect::RetryNow => net.command(NetCommand::RetryNow),
                Effect::Bell => {
                    let backend = terminal.backend_mut();
                    backend.write_all(b"\x07")?;
                    backend.flush()?;
                }
                Effect::Quit => {
                    net.close(CLOSE_GRACE).await;
                    return Ok(());
                }
            }
        }
    }
    net.close(CLOSE_GRACE).await;
    Ok(())
}
