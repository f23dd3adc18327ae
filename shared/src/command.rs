//! The slash-command grammar: what a typed line means, for every client alike.
//!
//! A person types the same commands into `nc` (the server's plain mode parses them) and
//! into `chat-tui` (which turns them into frames), so both parse with this one grammar
//! and give the same errors. A line is a message unless it starts with `/`; `//` sends a
//! literal `/`. Command names are case-insensitive. [`COMMANDS`] is also the source of
//! `/help` and of completion.

use std::fmt;
use std::time::Duration;

use crate::duration::parse_duration;

use crate::password::Secret;
use crate::text::sanitize_text;

/// Where a command is carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// By the server: plain mode and `chat-tui` both have it.
    Server,
    /// By `chat-tui` alone (its buffers and screen); plain mode does not know it.
    Client,
}

/// One command: its name, the arguments it takes and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    /// The name with its slash: `/msg`.
    pub name: &'static str,
    /// The arguments, as the usage line shows them: `NAME TEXT`.
    pub args: &'static str,
    /// What it does, in a few words.
    pub help: &'static str,
    /// Who carries it out.
    pub scope: Scope,
}

impl CommandSpec {
    /// The usage line: `/msg NAME TEXT`.
    pub fn usage(&self) -> String {
        if self.args.is_empty() {
            self.name.to_owned()
        } else {
            format!("{} {}", self.name, self.args)
        }
    }
}

const fn spec(
    name: &'static str,
    args: &'static str,
    help: &'static str,
    scope: Scope,
) -> CommandSpec {
    CommandSpec {
        name,
        args,
        help,
        scope,
    }
}

/// Every command, in the order `/help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    spec("/me", "ACTION", "an action: * you waves", Scope::Server),
    spec("/msg", "NAME TEXT", "a private message", Scope::Server),
    spec(
        "/query",
        "NAME",
        "open a private conversation",
        Scope::Client,
    ),
    spec("/nick", "NEW", "change your name", Scope::Server),
    spec(
        "/register",
        "[PASSWORD]",
        "make your name an account with this password",
        Scope::Server,
    ),
    spec(
        "/password",
        "[OLD NEW]",
        "change your account's password",
        Scope::Server,
    ),
    spec(
        "/unregister",
        "[PASSWORD]",
        "end your account (its password again)",
        Scope::Server,
    ),
    spec("/who", "[#ROOM]", "list who is in a room", Scope::Server),
    spec(
        "/join",
        "#ROOM[,#ROOM...]",
        "join rooms, or switch to one",
        Scope::Server,
    ),
    spec("/part", "[#ROOM] [REASON]", "leave a room", Scope::Server),
    spec("/rooms", "", "list every room", Scope::Server),
    spec(
        "/topic",
        "[TEXT | -delete]",
        "show, set or clear the room's topic",
        Scope::Server,
    ),
    spec(
        "/search",
        "[-here] WORDS",
        "find messages (-here: in this room only)",
        Scope::Server,
    ),
    spec(
        "/kick",
        "NAME [REASON]",
        "operators: disconnect a user",
        Scope::Server,
    ),
    spec(
        "/mute",
        "NAME [TIME] [REASON]",
        "operators: silence a user for TIME (10m, 2h, 1d; default 10m)",
        Scope::Server,
    ),
    spec("/unmute", "NAME", "operators: lift a mute", Scope::Server),
    spec(
        "/ban",
        "TARGET [TIME] [REASON]",
        "operators: ban a name, an address or a CIDR network (for ever without TIME)",
        Scope::Server,
    ),
    spec(
        "/unban",
        "TARGET",
        "operators: lift the ban on a name, an address or a network",
        Scope::Server,
    ),
    spec("/bans", "", "operators: list the bans", Scope::Server),
    spec("/help", "", "show the commands", Scope::Server),
    spec("/clear", "", "clear the message pane", Scope::Client),
    spec(
        "/close",
        "",
        "close this buffer (and leave its room)",
        Scope::Client,
    ),
    spec("/quit", "[REASON]", "leave and exit", Scope::Server),
];

/// The argument of `/topic` that clears the topic (irssi's spelling): an empty topic
/// cannot be typed, since `/topic` alone shows it.
pub const CLEAR_TOPIC: &str = "-delete";

/// The first argument of `/search` that narrows it to the current room.
pub const SEARCH_HERE: &str = "-here";

/// Other names for commands: `/names` is `/who`, as on IRC.
const ALIASES: &[(&str, &str)] = &[("/names", "/who")];

/// A typed line, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A message (`//text` sends `/text`).
    Say(String),
    /// `/me ACTION`.
    Me(String),
    /// `/msg NAME TEXT`.
    Msg {
        /// Receiver.
        to: String,
        /// Text.
        text: String,
    },
    /// `/query NAME`.
    Query(String),
    /// `/nick NEW`.
    Nick(String),
    /// `/register [PASSWORD]`: the password is the rest of the line; left out, `chat-tui`
    /// asks for it in a hidden field (plain mode needs it).
    Register(Option<Secret>),
    /// `/password [OLD NEW]`: the old password is the first word, the new one the rest;
    /// left out, `chat-tui` asks for both in hidden fields (plain mode needs them).
    Password(Option<PasswordChange>),
    /// `/unregister [PASSWORD]`: as `/register`.
    Unregister(Option<Secret>),
    /// `/who [#ROOM]`: the room named, or the current one.
    Who(Option<String>),
    /// `/join #ROOM[,#ROOM...]` (rooms separated by commas or spaces).
    Join(Vec<String>),
    /// `/part [#ROOM] [REASON]`: the room named, or the current one.
    Part {
        /// The room, when named.
        room: Option<String>,
        /// Shown to the room's members.
        reason: Option<String>,
    },
    /// `/rooms`.
    Rooms,
    /// `/search [-here] WORDS`.
    Search {
        /// The words, all of which a match holds.
        words: String,
        /// Only the current room (`-here`), instead of every room and conversation.
        here: bool,
    },
    /// `/topic [TEXT]`: show the topic, or set it; `/topic -delete` sets it empty,
    /// which clears it.
    Topic(Option<String>),
    /// `/kick NAME [REASON]`.
    Kick {
        /// Who.
        name: String,
        /// Why, shown to the user and its rooms.
        reason: Option<String>,
    },
    /// `/mute NAME [TIME] [REASON]`.
    Mute {
        /// Who.
        name: String,
        /// How long; `None` is the server's default.
        duration: Option<Duration>,
        /// Why.
        reason: Option<String>,
    },
    /// `/unmute NAME`.
    Unmute(String),
    /// `/ban TARGET [TIME] [REASON]`: a name, an address or a network.
    Ban {
        /// What to ban, as typed: the server tells a name from an address.
        target: String,
        /// How long; `None` is for ever.
        duration: Option<Duration>,
        /// Why.
        reason: Option<String>,
    },
    /// `/unban TARGET`.
    Unban(String),
    /// `/bans`.
    Bans,
    /// `/help`.
    Help,
    /// `/clear`.
    Clear,
    /// `/close`.
    Close,
    /// `/quit [REASON]`.
    Quit(Option<String>),
}

/// The two passwords of `/password OLD NEW`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    /// The password now.
    pub old: Secret,
    /// The password from now on.
    pub new: Secret,
}

/// Why a `/command` line could not be understood; `Display` is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// A known command with the wrong arguments.
    Usage(&'static CommandSpec),
    /// No such command (its name as typed, slash included, without control or escape
    /// characters: it is shown back to the user).
    Unknown(String),
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Usage(spec) => write!(f, "Usage: {}", spec.usage()),
            CommandError::Unknown(name) => {
                write!(f, "Unknown command {name}; /help lists the commands")
            }
        }
    }
}

/// The spec of a command by its name (`/msg`, any case, aliases included).
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    let name = name.to_lowercase();
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name.as_str(), |(_, command)| command);
    COMMANDS.iter().find(|spec| spec.name == name)
}

/// Parses one typed line.
pub fn parse(line: &str) -> Result<Command, CommandError> {
    let line = line.trim();
    if let Some(literal) = line.strip_prefix("//") {
        return Ok(Command::Say(format!("/{literal}")));
    }
    if !line.starts_with('/') {
        return Ok(Command::Say(line.to_owned()));
    }
    let (name, args) = line
        .split_once(char::is_whitespace)
        .map_or((line, ""), |(name, args)| (name, args.trim()));
    let spec = find(name).ok_or_else(|| CommandError::Unknown(sanitize_text(name)))?;
    arguments(spec, args).ok_or(CommandError::Usage(spec))
}

/// The command `spec` with `args`, or `None` when they do not fit its usage.
fn arguments(spec: &'static CommandSpec, args: &str) -> Option<Command> {
    let (first, rest) = split_word(args);
    let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    Some(match spec.name {
        "/me" => Command::Me(nonempty(args)?),
        "/msg" => Command::Msg {
            to: nonempty(first)?,
            text: nonempty(rest)?,
        },
        "/query" if rest.is_empty() => Command::Query(nonempty(first)?),
        "/nick" if rest.is_empty() => Command::Nick(nonempty(first)?),
        "/register" => Command::Register(optional(args).map(Secret::new)),
        "/password" if args.is_empty() => Command::Password(None),
        "/password" => Command::Password(Some(PasswordChange {
            old: Secret::new(nonempty(first)?),
            new: Secret::new(nonempty(rest)?),
        })),
        "/unregister" => Command::Unregister(optional(args).map(Secret::new)),
        "/who" if rest.is_empty() => Command::Who(optional(first)),
        "/join" => Command::Join(room_list(args)?),
        "/part" if first.starts_with('#') => Command::Part {
            room: Some(first.to_owned()),
            reason: optional(rest),
        },
        "/part" => Command::Part {
            room: None,
            reason: optional(args),
        },
        "/rooms" if args.is_empty() => Command::Rooms,
        "/search" => match args.split_once(' ') {
            Some((SEARCH_HERE, words)) => Command::Search {
                words: nonempty(words.trim())?,
                here: true,
            },
            _ if args == SEARCH_HERE => return None,
            _ => Command::Search {
                words: nonempty(args)?,
                here: false,
            },
        },
        "/topic" if args == CLEAR_TOPIC => Command::Topic(Some(String::new())),
        "/topic" => Command::Topic(optional(args)),
        "/kick" => Command::Kick {
            name: nonempty(first)?,
            reason: optional(rest),
        },
        "/mute" => {
            let (duration, reason) = timed(rest);
            Command::Mute {
                name: nonempty(first)?,
                duration,
                reason,
            }
        }
        "/unmute" if rest.is_empty() => Command::Unmute(nonempty(first)?),
        "/ban" => {
            let (duration, reason) = timed(rest);
            Command::Ban {
                target: nonempty(first)?,
                duration,
                reason,
            }
        }
        "/unban" if rest.is_empty() => Command::Unban(nonempty(first)?),
        "/bans" if args.is_empty() => Command::Bans,
        "/help" => Command::Help,
        "/clear" if args.is_empty() => Command::Clear,
        "/close" if args.is_empty() => Command::Close,
        "/quit" => Command::Quit(optional(args)),
        _ => return None,
    })
}

/// The first word of `args` and the rest, trimmed.
fn split_word(args: &str) -> (&str, &str) {
    args.split_once(char::is_whitespace)
        .map_or((args, ""), |(word, rest)| (word, rest.trim()))
}

/// An optional duration (the first word, when it reads as one: `10m`, `2h`, `1d`) and
/// an optional reason (the rest).
fn timed(args: &str) -> (Option<Duration>, Option<String>) {
    let (first, rest) = split_word(args);
    match parse_duration(first) {
        Some(duration) => (Some(duration), nonempty(rest)),
        None => (None, nonempty(args)),
    }
}

fn nonempty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// Room names separated by commas or spaces; at least one, each starting with `#`.
fn room_list(args: &str) -> Option<Vec<String>> {
    let rooms: Vec<String> = args
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|room| !room.is_empty())
        .map(str::to_owned)
        .collect();
    (!rooms.is_empty() && rooms.iter().all(|room| room.starts_with('#'))).then_some(rooms)
}

#[cfg(test)]
mod tests;
