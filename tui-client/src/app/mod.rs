//! The client's whole state, and the one function that changes it.
//!
//! [`App::update`] takes an [`Event`] (a key, a paste, a resize, news from the network, a
//! timer tick) and returns an [`Update`]: whether the screen must be redrawn, and the
//! [`Effect`]s the shell must carry out (send a frame, ring the bell, quit, reconnect).
//! Nothing in here does I/O, and time is read only from the [`clock::Clock`] the app is
//! given, so every behaviour is a plain unit test and every screen a snapshot.
//!
//! The parts: `keys` (what keys, pastes and the mouse do), `commands` (what a typed
//! line does), `server` (what connection news and frames do), `events` (what
//! happened in rooms and conversations, each read by `room_event`), `rooms` (joining
//! and leaving), [`backlog`] (a room's past: replayed, resumed, paged back), [`search`]
//! (`/search` and its results view), `sending` (what goes out and when), the
//! [`buffers`] everything is shown in, the measures of
//! the screen that scrolling needs ([`layout`], [`pane`], [`help`]: the ui draws what
//! they lay out, and nothing in here knows the ui), and one file per piece of state.

mod account;
pub mod backlog;
pub mod bell;
pub mod buffer;
pub mod buffers;
pub mod clock;
mod commands;
pub mod completion;
mod events;
pub mod help;
pub mod history;
pub mod input;
mod keys;
pub mod layout;
mod login_form;
pub mod outbox;
pub mod pacing;
pub mod pane;
mod room_event;
mod rooms;
pub mod roster;
pub mod scrollback;
pub mod search;
pub mod secret_prompt;
mod sending;
mod server;
pub mod view;

use std::collections::VecDeque;

use chat_shared::codec::DEFAULT_MAX_LINE_BYTES;
use chat_shared::frame::ClientFrame;
use chat_shared::password::Secret;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::layout::Rect;

use crate::event::Event;
use bell::BellLimiter;
use buffer::Kind;
use buffers::Buffers;
use clock::{Clock, SystemClock};
use completion::Completion;
use history::History;
use input::InputLine;
use outbox::Outbox;
use pacing::Pacer;
use pane::PaneBlocks;
use scrollback::{Entry, EntryKind, Scrollback};
use view::View;

pub use login_form::{LoginField, LoginForm};

/// The default room assumed until the server's `welcome` names it (a server without
/// rooms names none, and ignores the room the client names).
pub const DEFAULT_ROOM: &str = "#general";

/// What the client is started with.
#[derive(Debug, Clone)]
pub struct Config {
    /// The server's address as the user gave it, for display.
    pub server: String,
    /// The name to pre-fill the login form with.
    pub name: Option<String>,
    /// The most entries each buffer keeps.
    pub scrollback: usize,
    /// The zone message times are shown in (UTC in tests, the system's otherwise).
    pub time_zone: TimeZone,
    /// Whether to draw in color; false when the user set `NO_COLOR`.
    pub color: bool,
    /// The password to pre-fill the login form with (from `--password-file` or
    /// `CHAT_PASSWORD`, never from the command line).
    pub password: Option<Secret>,
}

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The name form (before joining, or when the name was lost on reconnect).
    Login,
    /// The chat.
    Chat,
}

/// The state of the connection, as the user should understand it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Trying to reach the server.
    Connecting {
        /// Tries in a row, this one included.
        attempt: u32,
    },
    /// Connected, not logged in.
    Connected,
    /// In the chat.
    LoggedIn,
    /// Not connected; the network task tries again when the countdown ends.
    Down {
        /// Why, for display.
        reason: String,
        /// Seconds until the next try.
        retry_in_secs: u64,
        /// The server said it was shutting down, and has not been tried since: most
        /// likely it is restarting.
        restarting: bool,
    },
    /// An operator kicked or banned the user (or the server refused a banned address):
    /// no try comes until the user asks (Ctrl-R).
    Removed {
        /// Why, for display.
        reason: String,
    },
}

/// Something the shell must do for the [`App`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send a frame to the server.
    Send(ClientFrame),
    /// Ring the terminal bell (a mention or a private message; at most one every
    /// [`bell::BELL_INTERVAL`]).
    Bell,
    /// Exit the client.
    Quit,
    /// Reconnect now rather than after the backoff delay.
    RetryNow,
}

/// The result of one [`App::update`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Whether anything visible changed.
    pub redraw: bool,
    /// What the shell must do, in order.
    pub effects: Vec<Effect>,
}

impl Update {
    /// Nothing changed.
    fn none() -> Self {
        Self::default()
    }

    /// Something visible changed.
    fn redraw() -> Self {
        Self {
            redraw: true,
            effects: Vec::new(),
        }
    }

    /// Adds an effect.
    fn with(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }
}

/// The client's state.
#[derive(Debug)]
pub struct App {
    /// What the client was started with.
    pub(crate) config: Config,
    /// Terminal size in columns and rows.
    pub(crate) size: (u16, u16),
    /// The screen shown.
    pub(crate) screen: Screen,
    /// The connection's state.
    pub(crate) connection: Connection,
    /// The server's name and version, once it said hello.
    pub(crate) server_name: Option<String>,
    /// The login form.
    pub(crate) login: LoginForm,
    /// The name to claim as soon as a connection is ready (typed, or held before a
    /// connection broke); `None` while the user has not chosen one.
    pub(crate) claim: Option<String>,
    /// Whether `login` was sent on the current connection (and not answered yet).
    pub(crate) login_sent: bool,
    /// The name the server gave us; kept across disconnections.
    pub(crate) me: Option<String>,
    /// The password logged in with (or registered since), sent again with every login
    /// after a reconnect. Never shown, never in the input history or the scrollback.
    pub(crate) password: Option<Secret>,
    /// The password sent with `register` or `password`, which becomes `password` once
    /// the server says the account has it.
    pub(crate) pending_password: Option<Secret>,
    /// The hidden field asking for a password (`/register` without one), if open.
    pub(crate) prompt: Option<secret_prompt::SecretPrompt>,
    /// The buffers (the server's, rooms, private conversations) and the one shown.
    pub(crate) buffers: Buffers,
    /// The room everyone is put in at login, as the server's `welcome` names it.
    pub(crate) default_room: String,
    /// Rooms whose `join` was sent or is waiting for the budget, in order, each waiting
    /// for `entered` or a refusal: the server answers them in this order.
    pub(crate) joins: VecDeque<String>,
    /// Rooms left with `part` (their buffer closed), until the server says `parted`:
    /// news still arriving from them is not shown.
    pub(crate) parting: Vec<String>,
    /// Room names from the last `/rooms`, for completion.
    pub(crate) rooms_listed: Vec<String>,
    /// The chat's input line.
    pub(crate) input: InputLine,
    /// Lines sent before, for Up/Down.
    history: History,
    /// The Tab completion in progress.
    completion: Option<Completion>,
    /// Messages waiting to be sent or answered.
    pub(crate) outbox: Outbox,
    /// Commands (`nick`, `who`) waiting for the flood budget.
    commands: sending::Commands,
    /// The server's flood budget, as spent so far.
    pacer: Pacer,
    /// The search whose results view is open, if one is.
    pub(crate) search: Option<search::Search>,
    /// The message a search result jumps to, while pages load until it shows.
    jump: Option<search::Jump>,
    /// Whether the help overlay is open.
    pub(crate) help_open: bool,
    /// Lines the help is scrolled down by (it may not fit a small terminal).
    pub(crate) help_scroll: u16,
    /// The longest line the server accepts.
    max_line_bytes: usize,
    /// Where the time comes from.
    clock: Box<dyn Clock>,
    /// Keeps the bell from ringing too often.
    bell: BellLimiter,
}

impl App {
    /// A client about to connect, showing the login form, in a terminal of `size`.
    pub fn new(config: Config, size: (u16, u16)) -> Self {
        Self::with_clock(config, size, Box::new(SystemClock))
    }

    /// [`App::new`] with the time read from `clock` (a hand-moved one in tests).
    pub fn with_clock(config: Config, size: (u16, u16), clock: Box<dyn Clock>) -> Self {
        let login = LoginForm {
            name: InputLine::with_text(config.name.as_deref().unwrap_or_default()),
            password: secret_prompt::HiddenField::with_text(
                config.password.as_ref().map_or("", Secret::expose),
            ),
            focus: LoginField::Name,
            rejection: None,
        };
        Self {
            buffers: Buffers::new(config.scrollback),
            default_room: DEFAULT_ROOM.to_owned(),
            joins: VecDeque::new(),
            parting: Vec::new(),
            rooms_listed: Vec::new(),
            config,
            size,
            screen: Screen::Login,
            connection: Connection::Connecting { attempt: 1 },
            server_name: None,
            login,
            claim: None,
            login_sent: false,
            me: None,
            password: None,
            pending_password: None,
            prompt: None,
            input: InputLine::default(),
            history: History::default(),
            completion: None,
            outbox: Outbox::new(fastrand::u64(..)),
            commands: sending::Commands::new(),
            pacer: Pacer::new(clock.now()),
            search: None,
            jump: None,
            help_open: false,
            help_scroll: 0,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            clock,
            bell: BellLimiter::default(),
        }
    }

    /// Applies one event; returns whether to redraw and what the shell must do, which
    /// includes sending whatever the flood budget now allows.
    pub fn update(&mut self, event: Event) -> Update {
        let mut update = match event {
            Event::Key(key) => self.on_key(key),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Paste(text) => self.on_paste(&text),
            Event::Resize(columns, rows) => {
                self.size = (columns, rows);
                self.clamp_view();
                Update::redraw()
            }
            Event::Net(news) => self.on_net(news),
            Event::Tick => self.on_tick(),
            Event::Wake => Update::none(),
        };
        self.send_what_may_go(&mut update);
        update
    }

    /// Whether the shell should send [`Event::Tick`] every second (a countdown is shown).
    pub fn wants_ticks(&self) -> bool {
        matches!(self.connection, Connection::Down { retry_in_secs, .. } if retry_in_secs > 0)
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The connection's state.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// The name the server gave us, once joined.
    pub fn me(&self) -> Option<&str> {
        self.me.as_deref()
    }

    /// Who is in the shown buffer's room, sorted; no one outside a room.
    pub fn online(&self) -> &[String] {
        match self.buffers.current().as_room() {
            Some(room) => room.members.names(),
            None => &[],
        }
    }

    /// The buffers, and which one is shown.
    pub fn buffers(&self) -> &Buffers {
        &self.buffers
    }

    /// The shown buffer's entries, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.log().entries().iter()
    }

    /// The shown buffer's history.
    pub(crate) fn log(&self) -> &Scrollback {
        &self.buffers.current().log
    }

    /// The text in the chat's input line.
    pub fn input_text(&self) -> &str {
        self.input.text()
    }

    /// The hidden field asking for a password over the input line, if open.
    pub fn secret_prompt(&self) -> Option<&secret_prompt::SecretPrompt> {
        self.prompt.as_ref()
    }

    /// The text in the login form's name field.
    pub fn login_name(&self) -> &str {
        self.login.name.text()
    }

    /// The server's name and version, once it said hello.
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// What the client was started with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether the help overlay is open.
    pub fn help_open(&self) -> bool {
        self.help_open
    }

    /// Whether the message view is scrolled up from the bottom, and entries unread below.
    pub fn scroll_state(&self) -> (bool, usize) {
        (self.log().is_scrolled(), self.log().unread())
    }

    fn on_tick(&mut self) -> Update {
        match &mut self.connection {
            Connection::Down { retry_in_secs, .. } if *retry_in_secs > 0 => {
                *retry_in_secs -= 1;
                Update::redraw()
            }
            _ => Update::none(),
        }
    }

    /// Adds an entry without an id to the buffer at `index`, keeping a scrolled-up view
    /// in place.
    fn push_entry(&mut self, index: usize, time: Option<Timestamp>, kind: EntryKind) {
        let entry = Entry {
            id: None,
            replayed: false,
            time,
            kind,
        };
        self.push(index, entry);
    }

    /// Adds an entry to the buffer at `index`, keeping a scrolled-up view in place.
    fn push(&mut self, index: usize, entry: Entry) {
        let Some(buffer) = self.buffers.get(index) else {
            return;
        };
        let queued = self.queued_in(&buffer.kind);
        self.buffers.push(index, entry, queued);
    }

    /// How many messages queued while away belong in a buffer about `kind`.
    fn queued_in(&self, kind: &Kind) -> usize {
        self.outbox
            .queued()
            .filter(|message| message.belongs_to(kind))
            .count()
    }

    /// The bell for a mention or a private message, unless it rang just before.
    fn bell(&mut self, update: Update) -> Update {
        if self.bell.ring(self.clock.now()) {
            update.with(Effect::Bell)
        } else {
            update
        }
    }

    /// Adds a client-side notice to the shown buffer.
    fn info(&mut self, text: impl Into<String>) {
        self.info_in(self.buffers.current_index(), text);
    }

    /// Adds a client-side notice to the buffer at `index`.
    fn info_in(&mut self, index: usize, text: impl Into<String>) {
        self.push_entry(index, None, EntryKind::Info(text.into()));
    }

    /// Adds a client-side error to the shown buffer.
    fn error(&mut self, text: impl Into<String>) {
        let index = self.buffers.current_index();
        self.push_entry(index, None, EntryKind::Error(text.into()));
    }

    /// Adds news of the connection to every buffer: each may have missed messages.
    fn everywhere(&mut self, kind: EntryKind) {
        for index in 0..self.buffers.len() {
            self.push_entry(index, None, kind.clone());
        }
    }

    /// Shows the buffer at `index`, keeping the reader's place in it.
    fn show(&mut self, index: usize) -> Update {
        if self.buffers.show(index) {
            self.completion = None;
            self.clamp_view();
            Update::redraw()
        } else {
            Update::none()
        }
    }

    /// Where the messages are drawn at the current size.
    fn message_pane(&self) -> Rect {
        layout::chat(Rect::new(0, 0, self.size.0, self.size.1)).messages
    }

    /// Moves the message view with `moved`, given the pane's blocks and rows.
    fn move_view(&mut self, moved: impl FnOnce(View, &PaneBlocks, usize) -> View) {
        let pane = self.message_pane();
        let blocks = PaneBlocks::new(self, pane.width);
        let view = moved(self.log().view(), &blocks, usize::from(pane.height));
        self.buffers.current_mut().log.set_view(view);
    }

    /// Keeps the reader's place after the pane's blocks changed: a resize, the queue sent
    /// or given back, a new name in the queued messages' prefix.
    fn clamp_view(&mut self) {
        self.move_view(|view, blocks, rows| view.clamp(blocks, rows));
    }
}

#[cfg(test)]
mod tests;
