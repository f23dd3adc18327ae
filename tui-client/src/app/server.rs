//! What news from the network does: connection changes and server frames.
//!
//! Every text that came over the network is sanitized again here, before it is stored
//! for drawing: a broken or hostile server must not be able to put escape sequences on
//! the user's terminal.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};
use chat_shared::name::name_key;
use chat_shared::text::sanitize_text;
use jiff::Timestamp;
use unicode_width::UnicodeWidthChar;

use super::scrollback::EntryKind;
use super::{App, Connection, Effect, Screen, Update};
use crate::event::NetEvent;

impl App {
    pub(super) fn on_net(&mut self, news: NetEvent) -> Update {
        match news {
            NetEvent::Connecting { attempt } => {
                self.connection = Connection::Connecting { attempt };
                Update::redraw()
            }
            NetEvent::Connected {
                server,
                max_line_bytes,
                flood,
            } => {
                self.connection = Connection::Connected;
                self.server_name = Some(sanitize_text(&server));
                self.max_line_bytes = max_line_bytes;
                self.pacer.set_budget(flood);
                self.login_sent = false;
                let update = Update::redraw();
                match self.claim.clone() {
                    Some(name) => {
                        self.login_sent = true;
                        update.with(self.send_now(ClientFrame::Login { name }))
                    }
                    None => update,
                }
            }
            NetEvent::Disconnected { reason, retry_in } => {
                let reason = sanitize_text(&reason);
                if self.connection == Connection::LoggedIn {
                    self.left_the_room();
                    self.error(format!("Connection lost: {reason}. Reconnecting…"));
                    self.clamp_view();
                }
                let restarting = matches!(
                    self.connection,
                    Connection::Down {
                        restarting: true,
                        ..
                    }
                );
                self.login_sent = false;
                self.connection = Connection::Down {
                    reason,
                    retry_in_secs: retry_in.as_secs_f64().ceil() as u64,
                    restarting,
                };
                Update::redraw()
            }
            NetEvent::Frame(frame) => self.on_frame(frame),
        }
    }

    fn on_frame(&mut self, frame: ServerFrame) -> Update {
        match frame {
            ServerFrame::Ping { token } => {
                return Update::none().with(Effect::Send(ClientFrame::Pong { token }));
            }
            ServerFrame::Pong { .. } | ServerFrame::Hello { .. } => return Update::none(),
            ServerFrame::Entered { .. }
            | ServerFrame::Parted { .. }
            | ServerFrame::Topic { .. }
            | ServerFrame::RoomList { .. } => return Update::none(),
            ServerFrame::Welcome {
                room: _,
                name,
                roster,
            } => return self.on_welcome(&name, roster),
            ServerFrame::NameRejected { name, message, .. } => {
                self.on_name_rejected(&name, &message)
            }
            ServerFrame::Message {
                time_ms,
                from,
                text,
                ..
            } => return self.on_message(time_ms, &from, &text, false),
            ServerFrame::Action {
                time_ms,
                from,
                text,
                ..
            } => return self.on_message(time_ms, &from, &text, true),
            ServerFrame::Private {
                time_ms,
                from,
                to,
                text,
            } => return self.on_private(time_ms, &from, &to, &text),
            ServerFrame::Joined { time_ms, name, .. } => {
                let name = sanitize_text(&name);
                self.roster.add(name.clone());
                self.push_entry(time(time_ms), EntryKind::Joined(name));
            }
            ServerFrame::Presence { joined, left, .. } => {
                for name in &joined {
                    self.roster.add(sanitize_text(name));
                }
                for name in &left {
                    self.roster.remove(&sanitize_text(name));
                }
                self.info(presence_summary(joined.len(), left.len()));
            }
            ServerFrame::Left {
                time_ms,
                name,
                reason,
                message,
                ..
            } => {
                let name = sanitize_text(&name);
                self.roster.remove(&name);
                let message = message.map(|text| sanitize_text(&text));
                let kind = EntryKind::Left {
                    name,
                    reason,
                    message,
                };
                self.push_entry(time(time_ms), kind);
            }
            ServerFrame::Renamed {
                time_ms, old, new, ..
            } => {
                let (old, new) = (sanitize_text(&old), sanitize_text(&new));
                self.roster.rename(&old, new.clone());
                let renamed_me = self.is_me(&old);
                if renamed_me {
                    self.me = Some(new.clone());
                    self.claim = Some(new.clone());
                }
                self.push_entry(time(time_ms), EntryKind::Renamed { old, new });
                if renamed_me {
                    self.clamp_view();
                }
            }
            ServerFrame::Roster { room: _, names } => {
                self.roster
                    .set(names.iter().map(|name| sanitize_text(name)));
                let listed = self.roster.names().join(", ");
                self.info(format!("Online ({}): {listed}", self.roster.len()));
            }
            ServerFrame::Notice { text } => self.info(sanitize_text(&text)),
            ServerFrame::Error { code, message } => self.on_error(code, &message),
            ServerFrame::Shutdown { message, .. } => self.on_shutdown(&message),
        }
        Update::redraw()
    }

    /// The server is going away, most likely to restart: the network task reconnects by
    /// itself, and everything here (name, scrollback, queue) waits for it.
    fn on_shutdown(&mut self, message: &str) {
        let message = sanitize_text(message);
        if self.connection == Connection::LoggedIn {
            self.left_the_room();
        }
        self.info(format!(
            "{}. Reconnecting when it is back…",
            message.trim_end_matches('.')
        ));
        self.clamp_view();
        self.login_sent = false;
        self.connection = Connection::Down {
            reason: message,
            retry_in_secs: 0,
            restarting: true,
        };
    }

    fn on_welcome(&mut self, name: &str, roster: Vec<String>) -> Update {
        let name = sanitize_text(name);
        let returning = self.me.is_some();
        self.me = Some(name.clone());
        self.claim = Some(name.clone());
        self.login_sent = false;
        self.login.rejection = None;
        self.screen = Screen::Chat;
        self.connection = Connection::LoggedIn;
        self.roster
            .set(roster.iter().map(|name| sanitize_text(name)));
        let online = self.roster.len();
        if returning {
            self.info(format!("Reconnected as {name}; {online} online."));
        } else {
            self.info(format!(
                "Welcome, {name}! {online} online. Type /help for keys and commands."
            ));
        }
        self.outbox.joined();
        self.clamp_view();
        Update::redraw()
    }

    /// The connection to the room broke: messages in flight wait to be sent again, and
    /// commands meant for that session are dropped.
    fn left_the_room(&mut self) {
        self.outbox.connection_lost();
        self.commands.clear();
    }

    fn on_name_rejected(&mut self, name: &str, message: &str) {
        let message = sanitize_text(message);
        if self.connection == Connection::LoggedIn {
            self.error(format!("Cannot change name: {message}"));
            return;
        }
        self.claim = None;
        self.login_sent = false;
        if self.screen == Screen::Chat {
            self.screen = Screen::Login;
            self.login.name.set(&sanitize_text(name));
            self.login.rejection = Some(format!(
                "While you were away: {message}. Choose another name."
            ));
        } else {
            self.login.rejection = Some(message);
        }
    }

    fn on_message(&mut self, time_ms: i64, from: &str, text: &str, action: bool) -> Update {
        let (from, text) = (sanitize_text(from), sanitize_text(text));
        let own = self.is_me(&from);
        if own {
            self.outbox.confirm_oldest();
        }
        let mentions_me = !own && self.me.as_deref().is_some_and(|me| mentions(&text, me));
        let kind = if action {
            EntryKind::Action {
                from,
                text,
                own,
                mentions_me,
            }
        } else {
            EntryKind::Message {
                from,
                text,
                own,
                mentions_me,
            }
        };
        self.push_entry(time(time_ms), kind);
        if mentions_me {
            self.bell(Update::redraw())
        } else {
            Update::redraw()
        }
    }

    fn on_private(&mut self, time_ms: i64, from: &str, to: &str, text: &str) -> Update {
        let (from, to, text) = (sanitize_text(from), sanitize_text(to), sanitize_text(text));
        let outgoing = self.is_me(&from);
        if outgoing {
            self.outbox.confirm_oldest();
        }
        let kind = EntryKind::Private {
            from,
            to,
            text,
            outgoing,
        };
        self.push_entry(time(time_ms), kind);
        if outgoing {
            Update::redraw()
        } else {
            self.bell(Update::redraw())
        }
    }

    fn on_error(&mut self, code: ErrorCode, message: &str) {
        let message = sanitize_text(message);
        if matches!(
            code,
            ErrorCode::EmptyMessage
                | ErrorCode::NoSuchUser
                | ErrorCode::LineTooLong
                | ErrorCode::TooManyLines
        ) {
            self.outbox.confirm_oldest();
        }
        if self.screen == Screen::Login {
            // The server closes a connection idle at the name form; the network task
            // reconnects at once, so there is nothing for the user to act on.
            if code != ErrorCode::HandshakeTimeout {
                self.login.rejection = Some(message);
            }
        } else {
            self.error(message);
        }
    }

    fn is_me(&self, name: &str) -> bool {
        self.me
            .as_deref()
            .is_some_and(|me| name_key(me) == name_key(name))
    }
}

/// The server's time stamp as a [`Timestamp`]; `None` if it is out of range.
fn time(time_ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(time_ms).ok()
}

/// Whether `text` mentions `name` as a word of its own, in any case.
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    let text = name_key(text);
    let name = name_key(name);
    if name.is_empty() {
        return false;
    }
    // Wide (CJK) characters count as word boundaries: those scripts put no spaces
    // between words, so "李雷你好" does mention 李雷.
    let is_name_char =
        |c: char| (c.is_alphanumeric() || c == '_') && UnicodeWidthChar::width(c) != Some(2);
    text.match_indices(&name).any(|(start, found)| {
        let before = text[..start].chars().next_back();
        let after = text[start + found.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

/// The line a big room's summary of joins and leaves shows as.
fn presence_summary(joined: usize, left: usize) -> String {
    match (joined, left) {
        (joined, 0) => format!("{joined} joined"),
        (0, left) => format!("{left} left"),
        (joined, left) => format!("{joined} joined, {left} left"),
    }
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn a_mention_is_the_name_as_a_word_in_any_case() {
        assert!(mentions("hey Alice, look", "alice"));
        assert!(mentions("ALICE: hi", "alice"));
        assert!(mentions("@alice", "alice"));
        assert!(!mentions("malice aforethought", "alice"));
        assert!(!mentions("alice_2 is here", "alice"));
        assert!(mentions("李雷你好", "李雷"));
        assert!(mentions("hi 李雷!", "李雷"));
    }
}
