//! What keys, pastes and the mouse do, on each screen.

use chat_shared::frame::{ClientFrame, encode};
use chat_shared::name::validate_name;
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;

use super::commands::{self, COMMANDS, Command};
use super::completion::Completion;
use super::help::Help;
use super::input::InputLine;
use super::outbox::Outgoing;
use super::view::View;
use super::{App, Connection, Effect, Screen, Update};
use crate::keymap::{self, Action};

/// Lines one mouse wheel step scrolls.
const WHEEL_LINES: usize = 3;

/// Lines PgUp/PgDn scroll the help by.
const HELP_PAGE: u16 = 5;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Update {
        match keymap::action_for_key(key) {
            Some(action) => self.act(action),
            None => Update::none(),
        }
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Update {
        match keymap::action_for_mouse(mouse) {
            Some(action) if self.screen == Screen::Chat || self.help_open => self.act(action),
            _ => Update::none(),
        }
    }

    pub(super) fn on_paste(&mut self, pasted: &str) -> Update {
        if self.help_open {
            return Update::none();
        }
        let text = pasted.replace("\r\n", "\n").replace('\r', "\n");
        let text: String = text
            .chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                '\n' => Some('\n'),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        match self.screen {
            Screen::Login => {
                let first_line = text.lines().next().unwrap_or_default().trim();
                self.login.name.insert(first_line);
                self.login.rejection = None;
            }
            Screen::Chat => {
                self.completion = None;
                self.input.insert(&text);
            }
        }
        Update::redraw()
    }

    fn act(&mut self, action: Action) -> Update {
        if action == Action::Quit {
            return self.quit(None);
        }
        if self.help_open {
            return self.act_on_help(action);
        }
        match action {
            Action::ToggleHelp => {
                self.help_open = true;
                Update::redraw()
            }
            Action::RetryNow => self.retry_now(),
            _ => match self.screen {
                Screen::Login => self.act_on_login(action),
                Screen::Chat => self.act_on_chat(action),
            },
        }
    }

    fn act_on_help(&mut self, action: Action) -> Update {
        let max = Help::new(Rect::new(0, 0, self.size.0, self.size.1)).max_scroll();
        let scroll = match action {
            Action::ToggleHelp | Action::Escape | Action::Submit | Action::Type('q') => {
                self.help_open = false;
                self.help_scroll = 0;
                return Update::redraw();
            }
            Action::HistoryUp | Action::WheelUp => self.help_scroll.saturating_sub(1),
            Action::HistoryDown | Action::WheelDown => self.help_scroll + 1,
            Action::PageUp => self.help_scroll.saturating_sub(HELP_PAGE),
            Action::PageDown => self.help_scroll + HELP_PAGE,
            _ => return Update::none(),
        };
        self.help_scroll = scroll.min(max);
        Update::redraw()
    }

    fn retry_now(&mut self) -> Update {
        if matches!(self.connection, Connection::Down { .. }) {
            Update::none().with(Effect::RetryNow)
        } else {
            Update::none()
        }
    }

    fn quit(&mut self, reason: Option<String>) -> Update {
        let update = Update::none();
        if self.connection == Connection::LoggedIn {
            update
                .with(Effect::Send(ClientFrame::Quit { reason }))
                .with(Effect::Quit)
        } else {
            update.with(Effect::Quit)
        }
    }

    fn act_on_login(&mut self, action: Action) -> Update {
        match action {
            Action::Submit => self.submit_login(),
            Action::Escape => self.quit(None),
            action => {
                if edit(&mut self.login.name, action) {
                    self.login.rejection = None;
                    Update::redraw()
                } else {
                    Update::none()
                }
            }
        }
    }

    fn submit_login(&mut self) -> Update {
        let Ok(name) = validate_name(self.login.name.text()) else {
            return Update::none();
        };
        self.login.rejection = None;
        self.claim = Some(name.clone());
        match self.connection {
            Connection::Connected if !self.login_sent => {
                self.login_sent = true;
                Update::redraw().with(self.send_now(ClientFrame::Login { name }))
            }
            Connection::Down { .. } => Update::redraw().with(Effect::RetryNow),
            _ => Update::redraw(),
        }
    }

    fn act_on_chat(&mut self, action: Action) -> Update {
        if !matches!(action, Action::Complete | Action::CompleteBack) {
            self.completion = None;
        }
        let page = usize::from(self.message_pane().height.saturating_sub(1)).max(1);
        match action {
            Action::Submit => self.submit_chat(),
            Action::Complete | Action::CompleteBack => {
                self.complete(action == Action::CompleteBack)
            }
            Action::HistoryUp => {
                let current = self.input.text().to_owned();
                if let Some(older) = self.history.older(&current) {
                    self.input.set(older);
                }
                Update::redraw()
            }
            Action::HistoryDown => {
                if let Some(newer) = self.history.newer() {
                    self.input.set(newer);
                }
                Update::redraw()
            }
            Action::Home if self.input.is_empty() => self.scroll_to_top(),
            Action::End if self.input.is_empty() => self.follow(),
            Action::ScrollTop => self.scroll_to_top(),
            Action::ScrollBottom | Action::Escape => self.follow(),
            Action::PageUp => self.scroll_up(page),
            Action::PageDown => self.scroll_down(page),
            Action::WheelUp => self.scroll_up(WHEEL_LINES),
            Action::WheelDown => self.scroll_down(WHEEL_LINES),
            action => {
                if edit(&mut self.input, action) {
                    Update::redraw()
                } else {
                    Update::none()
                }
            }
        }
    }

    fn scroll_up(&mut self, lines: usize) -> Update {
        self.move_view(|view, blocks, rows| view.up(lines, blocks, rows));
        Update::redraw()
    }

    fn scroll_down(&mut self, lines: usize) -> Update {
        self.move_view(|view, blocks, _| view.down(lines, blocks));
        Update::redraw()
    }

    fn scroll_to_top(&mut self) -> Update {
        self.move_view(|_, blocks, rows| View::top(blocks, rows));
        Update::redraw()
    }

    fn follow(&mut self) -> Update {
        self.log.set_view(View::Following);
        Update::redraw()
    }

    fn complete(&mut self, backwards: bool) -> Update {
        if let Some(completion) = self.completion.as_mut() {
            completion.cycle(&mut self.input, backwards);
            return Update::redraw();
        }
        let me = self.me.as_deref();
        let names: Vec<&str> = self
            .roster
            .names()
            .iter()
            .map(String::as_str)
            .filter(|name| Some(*name) != me)
            .collect();
        let commands: Vec<&str> = COMMANDS.iter().map(|(command, _, _)| *command).collect();
        match Completion::begin(&self.input, &names, &commands) {
            Some(completion) => {
                completion.apply(&mut self.input);
                self.completion = Some(completion);
                Update::redraw()
            }
            None => Update::none(),
        }
    }

    fn submit_chat(&mut self) -> Update {
        let line = self.input.take();
        if line.trim().is_empty() {
            return Update::redraw();
        }
        self.history.push(&line);
        match commands::parse(&line) {
            Err(error) => {
                self.error(error.to_string());
                Update::redraw()
            }
            Ok(Command::Say(text)) => self.send(Outgoing::Say(text), &line),
            Ok(Command::Me(text)) => self.send(Outgoing::Me(text), &line),
            Ok(Command::Msg { to, text }) => self.send(Outgoing::Msg { to, text }, &line),
            Ok(Command::Nick(wanted)) => self.nick(&wanted),
            Ok(Command::Who) => {
                if self.connection == Connection::LoggedIn {
                    self.send_command(ClientFrame::Who { room: None });
                    Update::redraw()
                } else {
                    let names = self.roster.names().join(", ");
                    self.info(format!("Online when last connected: {names}"));
                    Update::redraw()
                }
            }
            Ok(Command::Help) => {
                self.help_open = true;
                Update::redraw()
            }
            Ok(Command::Clear) => {
                self.log.clear();
                Update::redraw()
            }
            Ok(Command::Quit(reason)) => self.quit(reason),
        }
    }

    fn nick(&mut self, wanted: &str) -> Update {
        match validate_name(wanted) {
            Err(reason) => self.error(format!("Cannot change name: {reason}")),
            Ok(name) if self.connection == Connection::LoggedIn => {
                self.send_command(ClientFrame::Nick { name });
            }
            Ok(_) => self.error("Not connected: try /nick again once reconnected"),
        }
        Update::redraw()
    }

    /// Lines a message up to be sent, or queues it while not logged in, in the parts the
    /// server takes ([`Outgoing::parts`]: a long paste becomes several messages). `line`
    /// is what was typed, given back to the input line, with nothing sent, if the server
    /// would refuse a part as too long.
    fn send(&mut self, message: Outgoing, line: &str) -> Update {
        let parts = message.parts();
        if parts.is_empty() {
            return Update::redraw();
        }
        let too_long = parts
            .iter()
            .map(|part| encode(&part.frame()).len() - 1)
            .find(|bytes| *bytes > self.max_line_bytes);
        if let Some(bytes) = too_long {
            let what = if parts.len() == 1 {
                "That message"
            } else {
                "A part of that message"
            };
            self.error(format!(
                "{what} is too long ({bytes} bytes; the server takes {}); it is back in the input line",
                self.max_line_bytes
            ));
            self.input.set(line);
            return Update::redraw();
        }
        self.log.set_view(View::Following);
        for part in parts {
            if self.connection == Connection::LoggedIn {
                self.outbox.push(part);
            } else {
                self.outbox.queue(part);
            }
        }
        Update::redraw()
    }
}

/// Applies an editing action to a line; false when the action is not an edit.
fn edit(line: &mut InputLine, action: Action) -> bool {
    match action {
        Action::Type(c) => line.insert(c.encode_utf8(&mut [0; 4])),
        Action::Backspace => line.backspace(),
        Action::Delete => line.delete(),
        Action::Left => line.left(),
        Action::Right => line.right(),
        Action::Home => line.home(),
        Action::End => line.end(),
        Action::WordLeft => line.word_left(),
        Action::WordRight => line.word_right(),
        Action::DeleteWord => line.delete_word_before(),
        Action::KillToStart => line.kill_to_start(),
        Action::KillToEnd => line.kill_to_end(),
        _ => return false,
    }
    true
}
