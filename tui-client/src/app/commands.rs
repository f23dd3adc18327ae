//! What a line typed in the chat does. It is read with the grammar the server's plain
//! mode uses too ([`chat_shared::command`]), so both take the same commands and give the
//! same usage errors; what each one does depends on the buffer shown: a message goes to
//! its room or conversation. Joining and leaving rooms is in [`super::rooms`].

use chat_shared::command::{self, Command};
use chat_shared::frame::{ClientFrame, encode};
use chat_shared::name::validate_name;
use chat_shared::room_name::validate_room_name;

use super::buffer::{Kind, Membership};
use super::outbox::{MAX_NONCE_BYTES, Outgoing};
use super::view::View;
use super::{App, Connection, Update};

/// The most names a listing in the message pane shows; the rest are counted.
const LISTED_NAMES: usize = 50;

impl App {
    /// Carries out the line in the input, which is then empty (or holds the line again,
    /// if it could not be sent as it is).
    pub(super) fn submit_chat(&mut self) -> Update {
        let line = self.input.take();
        if line.trim().is_empty() {
            return Update::redraw();
        }
        let parsed = command::parse(&line);
        if !matches!(
            parsed,
            Ok(Command::Register(_) | Command::Password(_) | Command::Unregister(_))
        ) {
            self.history.push(&line);
        }
        match parsed {
            Err(error) => self.error(error.to_string()),
            Ok(Command::Say(text)) => self.say(text, false, &line),
            Ok(Command::Me(text)) => self.say(text, true, &line),
            Ok(Command::Msg { to, text }) => self.msg(&to, text, &line),
            Ok(Command::Query(name)) => self.query(&name),
            Ok(Command::Nick(wanted)) => self.nick(&wanted),
            Ok(Command::Register(password)) => self.register(password),
            Ok(Command::Password(change)) => self.change_password(change),
            Ok(Command::Unregister(password)) => self.unregister(password),
            Ok(Command::Who(room)) => self.who(room),
            Ok(Command::Join(rooms)) => self.join(&rooms),
            Ok(Command::Part { room, reason }) => self.part(room, reason),
            Ok(Command::Rooms) => self.when_connected("/rooms", ClientFrame::Rooms),
            Ok(Command::Search { words, here }) => self.search(words, here),
            Ok(Command::Topic(text)) => self.topic(text),
            Ok(
                command @ (Command::Kick { .. }
                | Command::Mute { .. }
                | Command::Unmute(_)
                | Command::Ban { .. }
                | Command::Unban(_)
                | Command::Bans),
            ) => self.moderate(command),
            Ok(Command::Help) => self.help_open = true,
            Ok(Command::Clear) => self.buffers.current_mut().log.clear(),
            Ok(Command::Close) => self.close(),
            Ok(Command::Quit(reason)) => return self.quit(reason),
        }
        Update::redraw()
    }

    /// A message or an action to the shown buffer's room or conversation; `line` goes
    /// back into the input when there is nowhere to send it.
    fn say(&mut self, text: String, action: bool, line: &str) {
        let message = match &self.buffers.current().kind {
            Kind::Room(room) if room.membership == Membership::Out => Err(format!(
                "You are not in {0}: /join {0} to talk there.",
                room.name
            )),
            Kind::Room(room) if action => Ok(Outgoing::Me {
                room: room.name.clone(),
                text,
            }),
            Kind::Room(room) => Ok(Outgoing::Say {
                room: room.name.clone(),
                text,
            }),
            Kind::Private { .. } if action => {
                Err("An action (/me) goes to a room, not to a private conversation.".to_owned())
            }
            Kind::Private { with } => Ok(Outgoing::Msg {
                to: with.clone(),
                text,
            }),
            Kind::Server => Err(
                "This buffer is for the server's notices: go to a room (Alt-1…9) or /join one."
                    .to_owned(),
            ),
        };
        match message {
            Ok(message) => self.send(message, line),
            Err(why) => {
                self.error(why);
                self.input.set(line);
            }
        }
    }

    /// `/msg NAME TEXT`: opens the conversation with `to` and sends the message there.
    fn msg(&mut self, to: &str, text: String, line: &str) {
        if let Some(index) = self.open_private(to) {
            self.show(index);
            let to = self.buffers.current().name().to_owned();
            self.send(Outgoing::Msg { to, text }, line);
        }
    }

    /// `/query NAME`: opens the conversation with `name` and shows it.
    fn query(&mut self, name: &str) {
        if let Some(index) = self.open_private(name) {
            self.show(index);
        }
    }

    /// The conversation with `name`, opened if need be; `None` (and an error) if no one
    /// can have that name.
    fn open_private(&mut self, name: &str) -> Option<usize> {
        match validate_name(name) {
            Ok(name) => Some(self.buffers.private_or_new(&name)),
            Err(reason) => {
                self.error(format!("No one can be called {name}: {reason}."));
                None
            }
        }
    }

    fn nick(&mut self, wanted: &str) {
        match validate_name(wanted) {
            Err(reason) => self.error(format!("Cannot change name: {reason}")),
            Ok(name) if self.me.as_deref() == Some(name.as_str()) => {
                self.info(format!("You are already called {name}."));
            }
            Ok(name) if self.connection == Connection::LoggedIn => {
                self.send_command(ClientFrame::Nick { name });
            }
            Ok(_) => self.error("Not connected: try /nick again once reconnected"),
        }
    }

    /// `/who [#ROOM]`: who is in the room named, the shown one, or the default room.
    fn who(&mut self, room: Option<String>) {
        let room = match room.map(|room| validate_room_name(&room)) {
            Some(Err(reason)) => return self.error(format!("No room can be called so: {reason}.")),
            Some(Ok(room)) => room,
            None => match self.buffers.current().as_room() {
                Some(room) => room.name.clone(),
                None => self.default_room.clone(),
            },
        };
        if self.connection == Connection::LoggedIn {
            self.send_command(ClientFrame::Who { room: Some(room) });
            return;
        }
        let known = self
            .buffers
            .find_room(&room)
            .and_then(|index| self.buffers.get(index)?.as_room())
            .map(|room| listing(room.members.names()));
        match known {
            Some(names) => self.info(format!("In {room} when last connected: {names}")),
            None => self.error(format!("Not connected: try /who {room} once reconnected")),
        }
    }

    /// `/topic [TEXT]`: the shown room's topic, as last heard (the server tells every
    /// change), or a new one.
    fn topic(&mut self, text: Option<String>) {
        let Some(room) = self.buffers.current().as_room() else {
            return self.error("/topic is about a room: go to the room's buffer first.");
        };
        let name = room.name.clone();
        match (text, &room.topic) {
            (None, Some(topic)) => self.info(format!("Topic of {name}: {topic}")),
            (None, None) => self.info(format!("{name} has no topic; /topic TEXT sets one.")),
            // Only a member may set it; the server would refuse, and its refusal
            // (`not_in_room`) would read as the answer to a message.
            (Some(_), _) if room.membership != Membership::In => {
                self.error(format!("You are not in {name}."));
            }
            (Some(text), _) => self.when_connected(
                "/topic",
                ClientFrame::Topic {
                    room: name,
                    text: Some(text),
                },
            ),
        }
    }

    /// An operator's command: the server decides who may, and answers (`/bans` in the
    /// server's buffer).
    fn moderate(&mut self, command: Command) {
        let seconds = |duration: Option<std::time::Duration>| duration.map(|d| d.as_secs());
        let (name, frame) = match command {
            Command::Kick { name, reason } => ("/kick", ClientFrame::Kick { name, reason }),
            Command::Mute {
                name,
                duration,
                reason,
            } => (
                "/mute",
                ClientFrame::Mute {
                    name,
                    duration_s: seconds(duration),
                    reason,
                },
            ),
            Command::Unmute(name) => ("/unmute", ClientFrame::Unmute { name }),
            Command::Ban {
                target,
                duration,
                reason,
            } => (
                "/ban",
                ClientFrame::Ban {
                    target,
                    duration_s: seconds(duration),
                    reason,
                },
            ),
            Command::Unban(target) => ("/unban", ClientFrame::Unban { target }),
            _ => ("/bans", ClientFrame::Bans),
        };
        self.when_connected(name, frame);
    }

    /// Sends a command frame, or says it needs the connection.
    pub(super) fn when_connected(&mut self, command: &str, frame: ClientFrame) {
        if self.connection == Connection::LoggedIn {
            self.send_command(frame);
        } else {
            self.error(format!(
                "Not connected: try {command} again once reconnected"
            ));
        }
    }

    /// Lines a message up to be sent, or queues it while not logged in, in the parts the
    /// server takes ([`Outgoing::parts`]: a long paste becomes several messages). `line`
    /// is what was typed, given back to the input line, with nothing sent, if the server
    /// would refuse a part as too long.
    fn send(&mut self, message: Outgoing, line: &str) {
        let parts = message.parts();
        if parts.is_empty() {
            return;
        }
        let too_long = parts
            .iter()
            .map(|part| encode(&part.frame(Some(longest_nonce()))).len() - 1)
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
            return;
        }
        self.buffers.current_mut().log.set_view(View::Following);
        for part in parts {
            if self.connection == Connection::LoggedIn {
                self.outbox.push(part);
            } else {
                self.outbox.queue(part);
            }
        }
    }
}

/// A nonce as long as any the outbox makes, to measure a frame by.
fn longest_nonce() -> String {
    "0".repeat(MAX_NONCE_BYTES)
}

/// Names for a line of the message pane: all of them, or the first
/// [`LISTED_NAMES`] and how many more.
pub(super) fn listing(names: &[String]) -> String {
    let shown = names[..names.len().min(LISTED_NAMES)].join(", ");
    match names.len().saturating_sub(LISTED_NAMES) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}
