//! Test helpers: a client without a terminal (the real `App` and network task, driven
//! like the shell drives them) and a TCP relay that can break connections.

#![allow(dead_code)] // each test file uses its own part of these helpers

pub mod relay;
pub mod screens;
pub mod states;
pub mod tls_server;
pub mod tmux;

use std::net::SocketAddr;
use std::time::Duration;

use chat_server::Server;
use chat_tui::app::scrollback::EntryKind;
use chat_tui::app::{App, Config, Connection, Effect, Update};
use chat_tui::event::{Event, NetEvent};
use chat_tui::net::{self, NetCommand, NetConfig, NetHandle};
use chat_tui::ui;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// How long any expected event may take before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Network settings for tests: quick retries, so reconnecting takes little time.
pub fn net_config(address: SocketAddr) -> NetConfig {
    NetConfig {
        backoff_initial: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        ..NetConfig::new(&address.ip().to_string(), address.port())
    }
}

/// Starts the real server on a free loopback port; newcomers are announced at once, and
/// loopback, which every test client shares, is exempt from the per-address limits.
pub fn start_server(config: chat_server::Config) -> Server {
    start_server_on(0, config)
}

/// Starts the real server on the given loopback port (0 for a free one), as
/// [`start_server`] does.
pub fn start_server_on(port: u16, config: chat_server::Config) -> Server {
    Server::start(chat_server::Config {
        port,
        bind: "127.0.0.1".parse().unwrap(),
        announce_delay: Duration::ZERO,
        exempt: vec!["127.0.0.0/8".parse().unwrap()],
        ..config
    })
    .expect("the server starts")
}

/// Whether the client is in the chat.
pub fn logged_in(client: &Client) -> bool {
    *client.app.connection() == Connection::LoggedIn
}

/// A client with quick retries that joined the server at `address` as `name`.
pub async fn join(address: SocketAddr, name: &str) -> Client {
    join_with(net_config(address), name).await
}

/// A client with the given network settings that joined as `name`.
pub async fn join_with(net_config: NetConfig, name: &str) -> Client {
    let mut client = Client::start(net_config);
    client.enter(name);
    client.until(&format!("{name} to join"), logged_in).await;
    client
}

/// The real app and network task, without a terminal.
pub struct Client {
    /// The client's state.
    pub app: App,
    /// The network task.
    pub net: NetHandle,
    /// Every piece of news the network task reported, in order.
    pub news: Vec<NetEvent>,
    /// Whether the app asked to quit.
    pub quit: bool,
}

impl Client {
    /// A client connecting to `address` with the given network settings.
    pub fn start(net_config: NetConfig) -> Self {
        let config = Config {
            server: format!("{}:{}", net_config.host, net_config.port),
            name: None,
            scrollback: 1000,
            time_zone: TimeZone::UTC,
            color: true,
            password: None,
        };
        Self {
            app: App::new(config, (80, 24)),
            net: net::spawn(net_config),
            news: Vec::new(),
            quit: false,
        }
    }

    /// A client connecting to `address` with quick retries.
    pub fn connect(address: SocketAddr) -> Self {
        Self::start(net_config(address))
    }

    /// Feeds news, and the flood budget's wake-ups, to the app until `done` holds; panics
    /// after [`PATIENCE`].
    pub async fn until(&mut self, what: &str, done: impl Fn(&Client) -> bool) {
        let waiting = async {
            while !done(self) {
                let wake = self.app.wake_at().map(tokio::time::Instant::from_std);
                let event = tokio::select! {
                    news = self.net.events.recv() => {
                        let news = news.unwrap_or_else(|| {
                            panic!("the network task ended while waiting for {what}")
                        });
                        self.news.push(news.clone());
                        Event::Net(news)
                    }
                    () = tokio::time::sleep_until(wake.unwrap_or_else(tokio::time::Instant::now)),
                        if wake.is_some() => Event::Wake,
                };
                let update = self.app.update(event);
                self.apply(update);
            }
        };
        if tokio::time::timeout(PATIENCE, waiting).await.is_err() {
            panic!(
                "timed out waiting for {what}; news so far: {:#?}\nscreen:\n{}",
                self.news,
                self.screen()
            );
        }
    }

    /// Waits until the network task reports news matching `wanted`.
    pub async fn until_news(&mut self, what: &str, wanted: impl Fn(&NetEvent) -> bool) {
        let seen = self.news.len();
        self.until(what, |client| client.news[seen..].iter().any(&wanted))
            .await;
    }

    /// Presses a key.
    pub fn key(&mut self, code: KeyCode) {
        let update = self
            .app
            .update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.apply(update);
    }

    /// Presses Ctrl and `c` (Ctrl-R: reconnect now).
    pub fn ctrl(&mut self, c: char) {
        let update = self.app.update(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
        self.apply(update);
    }

    /// Types `text` and presses Enter.
    pub fn enter(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self.key(KeyCode::Enter);
    }

    /// Pastes `text` (a bracketed paste) and presses Enter.
    pub fn paste_and_enter(&mut self, text: &str) {
        let update = self.app.update(Event::Paste(text.to_owned()));
        self.apply(update);
        self.key(KeyCode::Enter);
    }

    /// Clears the login form's name field (Ctrl-U).
    pub fn clear_line(&mut self) {
        let update = self.app.update(Event::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::CONTROL,
        )));
        self.apply(update);
    }

    /// The screen as text, drawn at 80x24.
    pub fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| ui::render(&self.app, frame)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    /// The texts of the room messages from `name` in the message pane, oldest first.
    pub fn messages_from(&self, name: &str) -> Vec<String> {
        self.app
            .entries()
            .filter_map(|entry| match &entry.kind {
                EntryKind::Message { from, text, .. } if from == name => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether the connection never broke since the client started.
    pub fn never_disconnected(&self) -> bool {
        !self
            .news
            .iter()
            .any(|news| matches!(news, NetEvent::Disconnected { .. }))
    }

    /// Whether any entry in the message pane shows `text`.
    pub fn shows(&self, text: &str) -> bool {
        self.app
            .entries()
            .any(|entry| format!("{:?}", entry.kind).contains(text))
    }

    fn apply(&mut self, update: Update) {
        for effect in update.effects {
            match effect {
                Effect::Send(frame) => self.net.command(NetCommand::Send(frame)),
                Effect::RetryNow => self.net.command(NetCommand::RetryNow),
                Effect::Quit => {
                    self.quit = true;
                    self.net.command(NetCommand::Close);
                }
                Effect::Bell => {}
            }
        }
    }
}
