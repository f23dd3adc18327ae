//! What keys, pastes and the mouse do, on each screen.

use chat_shared::command::COMMANDS;
use chat_shared::frame::ClientFrame;
use chat_shared::name::{name_key, validate_name};
use chat_shared::password::{Secret, validate_password};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;

use super::buffer::Kind;
use super::completion::Completion;
use super::help::Help;
use super::input::InputLine;
use super::view::View;
use super::{App, Connection, Effect, LoginField, Screen, Update};
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
                self.focused_login_field().insert(first_line);
                self.login.rejection = None;
            }
            Screen::Chat if self.prompt.is_some() => {
                let first_line = text.lines().next().unwrap_or_default().trim();
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.field.insert(first_line);
                }
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
        if self.search.is_some() {
            return self.act_on_search(action);
        }
        if self.prompt.is_some() && self.screen == Screen::Chat {
            return self.act_on_prompt(action);
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
        if matches!(
            self.connection,
            Connection::Down { .. } | Connection::Removed { .. }
        ) {
            Update::none().with(Effect::RetryNow)
        } else {
            Update::none()
        }
    }

    pub(super) fn quit(&mut self, reason: Option<String>) -> Update {
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
            Action::Complete | Action::CompleteBack | Action::HistoryUp | Action::HistoryDown => {
                self.login.focus = match self.login.focus {
                    LoginField::Name => LoginField::Password,
                    LoginField::Password => LoginField::Name,
                };
                Update::redraw()
            }
            action => {
                if edit(self.focused_login_field(), action) {
                    self.login.rejection = None;
                    Update::redraw()
                } else {
                    Update::none()
                }
            }
        }
    }

    /// The login form's field the keys go to.
    fn focused_login_field(&mut self) -> &mut InputLine {
        match self.login.focus {
            LoginField::Name => &mut self.login.name,
            LoginField::Password => &mut self.login.password,
        }
    }

    fn submit_login(&mut self) -> Update {
        let Ok(name) = validate_name(self.login.name.text()) else {
            self.login.focus = LoginField::Name;
            return Update::redraw();
        };
        self.password = match self.login.password.text() {
            "" => None,
            typed => match validate_password(typed) {
                Ok(password) => Some(Secret::new(password)),
                Err(reason) => {
                    self.login.focus = LoginField::Password;
                    self.login.rejection = Some(format!("Password: {reason}"));
                    return Update::redraw();
                }
            },
        };
        self.login.rejection = None;
        self.claim = Some(name.clone());
        match self.connection {
            Connection::Connected if !self.login_sent => {
                self.login_sent = true;
                let login = self.login_frame(name);
                Update::redraw().with(self.send_now(login))
            }
            Connection::Down { .. } | Connection::Removed { .. } => {
                Update::redraw().with(Effect::RetryNow)
            }
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
            Action::Buffer(place) => self.show(usize::from(place).saturating_sub(1)),
            Action::PreviousBuffer => {
                let count = self.buffers.len();
                self.show((self.buffers.current_index() + count - 1) % count)
            }
            Action::NextBuffer => {
                let count = self.buffers.len();
                self.show((self.buffers.current_index() + 1) % count)
            }
            action => {
                if edit(&mut self.input, action) {
                    Update::redraw()
                } else {
                    Update::none()
                }
            }
        }
    }

    /// Scrolls up; at the top of a room's buffer, older messages load.
    fn scroll_up(&mut self, lines: usize) -> Update {
        self.move_view(|view, blocks, rows| view.up(lines, blocks, rows));
        self.load_older_at_top();
        Update::redraw()
    }

    fn scroll_down(&mut self, lines: usize) -> Update {
        self.move_view(|view, blocks, _| view.down(lines, blocks));
        Update::redraw()
    }

    /// Scrolls to the oldest line; in a room's buffer, older messages load.
    fn scroll_to_top(&mut self) -> Update {
        self.move_view(|_, blocks, rows| View::top(blocks, rows));
        self.load_older_at_top();
        Update::redraw()
    }

    fn follow(&mut self) -> Update {
        let log = &mut self.buffers.current_mut().log;
        log.set_view(View::Following);
        log.set_found(None);
        Update::redraw()
    }

    fn complete(&mut self, backwards: bool) -> Update {
        if let Some(completion) = self.completion.as_mut() {
            completion.cycle(&mut self.input, backwards);
            return Update::redraw();
        }
        let names = self.names_to_complete();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let rooms = self.rooms_to_complete();
        let rooms: Vec<&str> = rooms.iter().map(String::as_str).collect();
        let commands: Vec<&str> = COMMANDS.iter().map(|command| command.name).collect();
        match Completion::begin(&self.input, &names, &rooms, &commands) {
            Some(completion) => {
                completion.apply(&mut self.input);
                self.completion = Some(completion);
                Update::redraw()
            }
            None => Update::none(),
        }
    }

    /// Names Tab offers, the user's own left out: the shown room's members (or the
    /// other person of a conversation) first, then everyone else in the user's rooms and
    /// conversations.
    fn names_to_complete(&self) -> Vec<String> {
        let shown = self.buffers.current_index();
        let mut names: Vec<String> = Vec::new();
        let order = std::iter::once(shown).chain((0..self.buffers.len()).filter(|&i| i != shown));
        for index in order {
            let Some(buffer) = self.buffers.get(index) else {
                continue;
            };
            let mut add = |name: &String| {
                let key = name_key(name);
                let known = names.iter().any(|other| name_key(other) == key);
                if !known && !self.is_me(name) {
                    names.push(name.clone());
                }
            };
            match &buffer.kind {
                Kind::Room(room) => room.members.names().iter().for_each(&mut add),
                Kind::Private { with } => add(with),
                Kind::Server => {}
            }
        }
        names
    }

    /// Rooms Tab offers: the user's, then those the last `/rooms` listed.
    fn rooms_to_complete(&self) -> Vec<String> {
        let mut rooms: Vec<String> = self
            .buffers
            .iter()
            .filter_map(|buffer| Some(buffer.as_room()?.name.clone()))
            .collect();
        for listed in &self.rooms_listed {
            if self.buffers.find_room(listed).is_none() {
                rooms.push(listed.clone());
            }
        }
        rooms
    }
}

/// Applies an editing action to a line; false when the action is not an edit.
pub(super) fn edit(line: &mut InputLine, action: Action) -> bool {
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
