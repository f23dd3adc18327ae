//! What news from the network does: connection changes, logging in, and the server's
//! frames, handed to [`super::events`] (what happened in rooms and conversations) and
//! [`super::rooms`] (joining and leaving).
//!
//! Every text that came over the network is sanitized again, before it is stored for
//! drawing: a broken or hostile server must not be able to put escape sequences on the
//! user's terminal.

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};
use chat_shared::text::sanitize_text;

use super::backlog::HistoryFrame;
use super::buffer::Membership;
use super::buffers::SERVER;
use super::scrollback::EntryKind;
use super::{App, Connection, DEFAULT_ROOM, Effect, Screen, Update};
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
                        let login = self.login_frame(name);
                        update.with(self.send_now(login))
                    }
                    None => update,
                }
            }
            NetEvent::Disconnected { reason, retry_in } => {
                let reason = sanitize_text(&reason);
                if self.connection == Connection::LoggedIn {
                    self.left_the_room();
                    let text = format!("Connection lost: {reason}. Reconnecting…");
                    self.everywhere(EntryKind::Error(text));
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
            NetEvent::Removed { reason } => {
                let reason = sanitize_text(&reason);
                if self.connection == Connection::LoggedIn {
                    self.left_the_room();
                }
                self.login_sent = false;
                let text = format!(
                    "Disconnected: {}. Not reconnecting by itself; Ctrl-R reconnects.",
                    reason.trim_end_matches('.')
                );
                self.everywhere(EntryKind::Error(text));
                self.clamp_view();
                if self.screen == Screen::Login {
                    self.login.rejection = Some(reason.clone());
                }
                self.connection = Connection::Removed { reason };
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
            ServerFrame::Welcome { name, roster, room } => self.on_welcome(&name, roster, room),
            ServerFrame::NameRejected {
                name,
                message,
                code,
            } => self.on_name_rejected(&name, code, &message),
            ServerFrame::Entered {
                room,
                topic,
                roster,
            } => self.on_entered(&room, topic, roster),
            ServerFrame::Parted { room } => self.on_parted(&room),
            ServerFrame::Notice { text } => {
                let notice = EntryKind::Notice(sanitize_text(&text));
                self.push_entry(SERVER, None, notice);
            }
            ServerFrame::Error { code, message } => self.on_error(code, &message),
            ServerFrame::Account {
                message,
                registered,
                ..
            } => {
                self.on_account(registered);
                self.info(sanitize_text(&message));
            }
            ServerFrame::Shutdown { message, .. } => self.on_shutdown(&message),
            ServerFrame::History {
                room,
                reason,
                events,
                complete,
                more,
                ..
            } => {
                return self.on_history(HistoryFrame {
                    room,
                    reason,
                    events,
                    complete,
                    more,
                });
            }
            ServerFrame::SearchResults { words, matches } => {
                return self.on_search_results(&words, &matches);
            }
            frame => return self.on_event(frame),
        }
        Update::redraw()
    }

    /// The server is going away, most likely to restart: the network task reconnects by
    /// itself, and everything here (name, buffers, queue) waits for it.
    fn on_shutdown(&mut self, message: &str) {
        let message = sanitize_text(message);
        if self.connection == Connection::LoggedIn {
            self.left_the_room();
        }
        let text = format!(
            "{}. Reconnecting when it is back…",
            message.trim_end_matches('.')
        );
        self.everywhere(EntryKind::Info(text));
        self.clamp_view();
        self.login_sent = false;
        self.connection = Connection::Down {
            reason: message,
            retry_in_secs: 0,
            restarting: true,
        };
    }

    /// In the chat: the name is the user's, and the server put the user in its default
    /// `room` (with these members). The first time, that room is shown; after a
    /// reconnect, the user's other rooms are joined again and what was typed meanwhile
    /// goes out.
    fn on_welcome(&mut self, name: &str, roster: Vec<String>, room: Option<String>) {
        let name = sanitize_text(name);
        let returning = self.me.is_some();
        self.me = Some(name.clone());
        self.claim = Some(name.clone());
        self.login_sent = false;
        self.login.rejection = None;
        self.screen = Screen::Chat;
        self.connection = Connection::LoggedIn;
        self.default_room =
            room.map_or_else(|| DEFAULT_ROOM.to_owned(), |room| sanitize_text(&room));
        let index = self.buffers.room_or_new(&self.default_room.clone());
        let Some(room) = self.buffers.get_mut(index).and_then(|b| b.as_room_mut()) else {
            return;
        };
        room.members
            .set(roster.iter().map(|name| sanitize_text(name)));
        room.membership = Membership::In;
        let text = if returning {
            self.everywhere(EntryKind::Info(format!("Reconnected as {name}.")));
            None
        } else {
            Some(format!(
                "Welcome, {name}! {} in {}. Type /help for keys and commands.",
                room.members.len(),
                room.name,
            ))
        };
        if let Some(text) = text {
            let server = self.server_name.clone().unwrap_or_default();
            let address = self.config.server.clone();
            let logged_in = format!("Logged in as {name} on {server} ({address}).");
            self.info_in(SERVER, logged_in);
            self.show(index);
            self.info_in(index, text);
        }
        self.joins.clear();
        self.rejoin();
        self.outbox.joined();
        self.clamp_view();
    }

    /// The connection broke: messages in flight wait to be sent again, commands meant
    /// for that session (joins among them) are dropped, rooms wait to be joined again,
    /// and nothing waits for an answer about history any more.
    fn left_the_room(&mut self) {
        self.outbox.connection_lost();
        self.commands.clear();
        self.joins.clear();
        self.stop_waiting_for_history();
    }

    /// The login with the password it carried: the one typed in the form, or the one the
    /// account has since `/register` or `/password`.
    pub(super) fn login_frame(&self, name: String) -> ClientFrame {
        ClientFrame::Login {
            after: self.resume_point(&self.default_room),
            password: self.password.as_ref().map(|p| p.expose().to_owned()),
            name,
        }
    }

    fn on_name_rejected(&mut self, name: &str, code: ErrorCode, message: &str) {
        let message = sanitize_text(message);
        if self.connection == Connection::LoggedIn {
            self.error(format!("Cannot change name: {message}"));
            return;
        }
        self.claim = None;
        self.login_sent = false;
        if matches!(code, ErrorCode::PasswordRequired | ErrorCode::WrongPassword) {
            self.password = None;
            self.login.password.take();
            self.login.focus = super::LoginField::Password;
        }
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

    /// An error answers what the user just did, so it is shown in the buffer the user is
    /// in; one that refuses a message also takes it off the messages in flight, and one
    /// that refuses a join marks that room's buffer.
    fn on_error(&mut self, code: ErrorCode, message: &str) {
        let message = sanitize_text(message);
        self.account_refused(code);
        if matches!(
            code,
            ErrorCode::EmptyMessage
                | ErrorCode::NoSuchUser
                | ErrorCode::LineTooLong
                | ErrorCode::TooManyLines
                | ErrorCode::NotInRoom
                | ErrorCode::Muted
        ) {
            self.outbox.confirm_oldest();
        }
        if code == ErrorCode::HistoryUnavailable {
            return self.history_unavailable(message);
        }
        if matches!(code, ErrorCode::Kicked | ErrorCode::Banned) {
            // The goodbye before the connection closes: the network task reports the
            // disconnection with this reason, and the user reads it then.
            return;
        }
        if self.screen == Screen::Login {
            // The server closes a connection idle at the name form; the network task
            // reconnects at once, so there is nothing for the user to act on.
            if code != ErrorCode::HandshakeTimeout {
                self.login.rejection = Some(message);
            }
        } else if !self.join_refused(code, &message) {
            self.error(message);
        }
    }
}
