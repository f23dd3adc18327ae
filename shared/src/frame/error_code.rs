//! The machine-readable reasons for an error or a refusal, and their wire form.

use serde::{Deserialize, Serialize};

/// Machine-readable reasons in `error` and `name_rejected` frames (and, in plain text,
/// in the `ERROR code: text` line refusing a connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The name is used by someone online (case-insensitively).
    NameTaken,
    /// The name breaks the rules in [`crate::name`].
    NameInvalid,
    /// The name is reserved.
    NameReserved,
    /// A line was longer than the server accepts; it was discarded.
    LineTooLong,
    /// A line was not valid UTF-8; it was discarded.
    InvalidUtf8,
    /// A line was not a frame the server understands.
    BadFrame,
    /// The client's protocol version is not spoken here; the connection closes.
    UnsupportedVersion,
    /// The frame is not allowed before logging in (or after).
    NotLoggedIn,
    /// A private message named nobody who is online.
    NoSuchUser,
    /// The text was empty after sanitizing.
    EmptyMessage,
    /// A message had more than [`crate::text::MAX_MESSAGE_LINES`] lines; it was not sent.
    TooManyLines,
    /// A plain-mode `/command` the server does not know.
    UnknownCommand,
    /// The handshake did not finish in time; the connection closes.
    HandshakeTimeout,
    /// The server has as many connections as it allows.
    ServerFull,
    /// Too many connections from one address.
    TooManyConnections,
    /// The address connects too often; it may try again later.
    Throttled,
    /// A room name breaks the rules in [`crate::name`].
    RoomInvalid,
    /// No room of that name exists.
    NoSuchRoom,
    /// The request names a room the client is not in.
    NotInRoom,
    /// The client is in as many rooms as it may be, or the server holds as many rooms
    /// as it may.
    TooManyRooms,
    /// A topic longer than the server accepts.
    TopicTooLong,
    /// History could not be read (the store failed); live chat goes on.
    HistoryUnavailable,
    /// The server is shutting down.
    ShuttingDown,
    /// The name is registered: logging in (or renaming) to it needs its password.
    PasswordRequired,
    /// The password given is not the account's.
    WrongPassword,
    /// A password breaks the rules in [`crate::password`] (empty, too long, control
    /// characters).
    PasswordInvalid,
    /// Passwords are not accepted over this connection: it is not encrypted and not
    /// from this machine. Connect with TLS.
    EncryptionRequired,
    /// The request needs an account the client has logged in to, and it has none.
    NotRegistered,
    /// The name is already an account.
    AlreadyRegistered,
    /// The accounts could not be read or written (the store failed).
    AccountsUnavailable,
    /// An operator command from someone who is not a logged-in operator.
    NotOperator,
    /// The user is muted: it may not speak (in rooms or in private), set a topic or
    /// change its name until the mute ends; the message says how long that is.
    Muted,
    /// The name, address or network is banned: a refused connection or name, or the
    /// goodbye of a user an operator just banned (the connection closes).
    Banned,
    /// An operator disconnected the user; the connection closes. It may come back.
    Kicked,
    /// Operators cannot kick, mute or ban an operator, nor ban their own address.
    Protected,
    /// `unban` names no ban in force.
    NoSuchBan,
    /// The server accepts only TLS connections (`--require-tls`) and this one is
    /// cleartext; the connection closes before anything the client sent is read.
    TlsRequired,
}

impl ErrorCode {
    /// The code as it appears on the wire (`name_taken`), for plain-text lines.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::NameInvalid => "name_invalid",
            ErrorCode::NameReserved => "name_reserved",
            ErrorCode::LineTooLong => "line_too_long",
            ErrorCode::InvalidUtf8 => "invalid_utf8",
            ErrorCode::BadFrame => "bad_frame",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::NotLoggedIn => "not_logged_in",
            ErrorCode::NoSuchUser => "no_such_user",
            ErrorCode::EmptyMessage => "empty_message",
            ErrorCode::TooManyLines => "too_many_lines",
            ErrorCode::UnknownCommand => "unknown_command",
            ErrorCode::HandshakeTimeout => "handshake_timeout",
            ErrorCode::ServerFull => "server_full",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::Throttled => "throttled",
            ErrorCode::RoomInvalid => "room_invalid",
            ErrorCode::NoSuchRoom => "no_such_room",
            ErrorCode::NotInRoom => "not_in_room",
            ErrorCode::TooManyRooms => "too_many_rooms",
            ErrorCode::TopicTooLong => "topic_too_long",
            ErrorCode::HistoryUnavailable => "history_unavailable",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::PasswordRequired => "password_required",
            ErrorCode::WrongPassword => "wrong_password",
            ErrorCode::PasswordInvalid => "password_invalid",
            ErrorCode::EncryptionRequired => "encryption_required",
            ErrorCode::NotRegistered => "not_registered",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::AccountsUnavailable => "accounts_unavailable",
            ErrorCode::NotOperator => "not_operator",
            ErrorCode::Muted => "muted",
            ErrorCode::Banned => "banned",
            ErrorCode::Kicked => "kicked",
            ErrorCode::Protected => "protected",
            ErrorCode::NoSuchBan => "no_such_ban",
            ErrorCode::TlsRequired => "tls_required",
        }
    }
}
