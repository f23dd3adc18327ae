//! What a line typed in the chat means: a message, or one of the `/commands`.

/// Every command, its arguments and what it does: the source of `/help` and completion.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("/me", "ACTION", "an action: * you waves"),
    ("/msg", "NAME TEXT", "a private message"),
    ("/nick", "NEW", "change your name"),
    ("/who", "", "list who is online"),
    ("/help", "", "show keys and commands"),
    ("/clear", "", "clear the message pane"),
    ("/quit", "[REASON]", "leave and exit"),
];

/// A typed line, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A message to the room (`//text` sends `/text`).
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
    /// `/nick NEW`.
    Nick(String),
    /// `/who`.
    Who,
    /// `/help`.
    Help,
    /// `/clear`.
    Clear,
    /// `/quit [REASON]`.
    Quit(Option<String>),
}

/// Why a `/command` line could not be understood; `Display` is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// Known command, wrong arguments: the usage line.
    Usage(String),
    /// No such command.
    Unknown(String),
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Usage(usage) => write!(f, "usage: {usage}"),
            CommandError::Unknown(name) => {
                write!(f, "unknown command {name}; /help lists the commands")
            }
        }
    }
}

/// Parses one submitted line.
pub fn parse(line: &str) -> Result<Command, CommandError> {
    if let Some(literal) = line.strip_prefix("//") {
        return Ok(Command::Say(format!("/{literal}")));
    }
    let Some(rest) = line.strip_prefix('/') else {
        return Ok(Command::Say(line.to_owned()));
    };
    let (name, args) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(name, args)| (name, args.trim()));
    let usage = |name: &str| {
        let (command, arguments, _) = COMMANDS
            .iter()
            .find(|(command, _, _)| &command[1..] == name)
            .expect("usage of a known command");
        CommandError::Usage(format!("{command} {arguments}"))
    };
    match name.to_lowercase().as_str() {
        "me" if !args.is_empty() => Ok(Command::Me(args.to_owned())),
        "msg" => match args.split_once(char::is_whitespace) {
            Some((to, text)) if !text.trim().is_empty() => Ok(Command::Msg {
                to: to.to_owned(),
                text: text.trim().to_owned(),
            }),
            _ => Err(usage("msg")),
        },
        "nick" if !args.is_empty() && !args.contains(char::is_whitespace) => {
            Ok(Command::Nick(args.to_owned()))
        }
        "who" => Ok(Command::Who),
        "help" => Ok(Command::Help),
        "clear" => Ok(Command::Clear),
        "quit" => Ok(Command::Quit((!args.is_empty()).then(|| args.to_owned()))),
        known @ ("me" | "nick") => Err(usage(known)),
        _ => Err(CommandError::Unknown(format!("/{name}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_and_double_slashes_are_messages() {
        assert_eq!(parse("hello"), Ok(Command::Say("hello".into())));
        assert_eq!(parse("//etc/hosts"), Ok(Command::Say("/etc/hosts".into())));
    }

    #[test]
    fn parses_every_command() {
        assert_eq!(parse("/me waves"), Ok(Command::Me("waves".into())));
        assert_eq!(
            parse("/msg bob hi there"),
            Ok(Command::Msg {
                to: "bob".into(),
                text: "hi there".into()
            })
        );
        assert_eq!(parse("/nick robert"), Ok(Command::Nick("robert".into())));
        assert_eq!(parse("/WHO"), Ok(Command::Who));
        assert_eq!(parse("/help"), Ok(Command::Help));
        assert_eq!(parse("/clear"), Ok(Command::Clear));
        assert_eq!(parse("/quit"), Ok(Command::Quit(None)));
        assert_eq!(
            parse("/quit see you"),
            Ok(Command::Quit(Some("see you".into())))
        );
    }

    #[test]
    fn explains_missing_arguments_and_unknown_commands() {
        assert_eq!(
            parse("/msg bob").unwrap_err().to_string(),
            "usage: /msg NAME TEXT"
        );
        assert_eq!(parse("/me").unwrap_err().to_string(), "usage: /me ACTION");
        assert_eq!(
            parse("/nick a b").unwrap_err().to_string(),
            "usage: /nick NEW"
        );
        assert_eq!(
            parse("/dance").unwrap_err().to_string(),
            "unknown command /dance; /help lists the commands"
        );
    }
}
