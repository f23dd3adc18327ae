//! Operators and what they may do: kick, mute and ban.
//!
//! - Operators are the registered accounts named with `--operator`; a session is one
//!   only once it has logged in to that account with its password.
//! - A **kick** disconnects a user (each of its rooms sees who did it and why); it may
//!   come back at once.
//! - A **mute** keeps a user from speaking (in rooms and in private), setting a topic or
//!   changing its name, for a while ([`DEFAULT_MUTE`] unless said). It follows the name
//!   and its look-alikes, so reconnecting does not lift it; it lives in memory, with
//!   the rooms (see [`crate::room`]), and ends with a restart.
//! - A **ban** ([`Bans`]) is on a name and its look-alikes (it may not log in) or on an
//!   address or network (it may not connect: refused at the door). Whoever matches is
//!   disconnected at once. Bans last for ever unless timed, and are kept in the data
//!   directory's database ([`store`]) when there is one.
//!
//! Operators cannot kick, mute or ban an operator, nor ban a network that holds an
//! operator online (themselves included): one mistyped address would otherwise lock the
//! moderators out of their own server.

use std::collections::HashSet;
use std::time::Duration;

use chat_shared::duration::format_duration;
use chat_shared::frame::{ErrorCode, LeaveReason};
use chat_shared::name::{NameClaim, name_claims, name_key};
use chat_shared::text::{MAX_REASON_CHARS, sanitize_line, shorten};

mod bans;
pub mod offline;
pub mod store;
mod target;

pub use bans::{Ban, Bans};
pub use target::{MIN_PREFIX_V4, MIN_PREFIX_V6, Target};

/// How long a mute lasts when the operator does not say.
pub const DEFAULT_MUTE: Duration = Duration::from_secs(10 * 60);

/// The longest mute or timed ban: longer ones are surely typing mistakes (a ban for
/// ever is written without a duration).
pub const MAX_SANCTION: Duration = Duration::from_secs(365 * 24 * 3600);

/// Who the operators are.
#[derive(Debug, Default)]
pub struct Operators {
    /// The name keys of the accounts named with `--operator`.
    keys: HashSet<String>,
    /// Their look-alike claims: a name sharing one is protected from sanctions.
    claims: HashSet<NameClaim>,
}

impl Operators {
    /// The operators named on the command line.
    pub fn new(names: &[String]) -> Self {
        Self {
            keys: names.iter().map(|name| name_key(name)).collect(),
            claims: names.iter().flat_map(|name| name_claims(name)).collect(),
        }
    }

    /// Whether `name` is, or looks like, an operator's: it may not be kicked, muted or
    /// banned.
    pub fn protects(&self, name: &str) -> bool {
        name_claims(name)
            .iter()
            .any(|claim| self.claims.contains(claim))
    }

    /// Whether a session that proved it owns `account` (with its password) is an
    /// operator's.
    pub fn is_operator(&self, account: &str) -> bool {
        self.keys.contains(&name_key(account))
    }
}

/// Why an operator ended a session: what its rooms are told, and what it is told before
/// the connection closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// [`LeaveReason::Kicked`] or [`LeaveReason::Banned`].
    pub reason: LeaveReason,
    /// The operator.
    pub by: String,
    /// The operator's reason, shown to the user's rooms.
    pub message: Option<String>,
    /// What the user is told: `You were kicked by root_op: spam`.
    pub goodbye: String,
}

impl Removal {
    /// A kick by `by`, for `message`.
    pub fn kick(by: &str, message: Option<String>) -> Self {
        let goodbye = match &message {
            Some(message) => format!("You were kicked by {by}: {message}"),
            None => format!("You were kicked by {by}."),
        };
        Self {
            reason: LeaveReason::Kicked,
            by: by.to_owned(),
            message,
            goodbye,
        }
    }

    /// The removal of a user that `ban` covers, at `now_ms`.
    pub fn ban(ban: &Ban, now_ms: i64) -> Self {
        Self {
            reason: LeaveReason::Banned,
            by: ban.by.clone(),
            message: ban.reason.clone(),
            goodbye: format!("You are banned: {}", ban.describe(now_ms)),
        }
    }

    /// The error code of the goodbye.
    pub fn code(&self) -> ErrorCode {
        match self.reason {
            LeaveReason::Banned => ErrorCode::Banned,
            _ => ErrorCode::Kicked,
        }
    }
}

/// A sanction's duration as asked for, checked: from 1 s to [`MAX_SANCTION`].
pub fn checked_duration(duration: Duration) -> Result<Duration, String> {
    if duration.is_zero() || duration > MAX_SANCTION {
        Err(format!(
            "A duration goes from 1s to {} (write none for a ban for ever).",
            format_duration(MAX_SANCTION)
        ))
    } else {
        Ok(duration)
    }
}

/// An operator's reason as everyone will read it: on one line, without controls, cut to
/// [`MAX_REASON_CHARS`]; `None` when nothing is left.
pub fn clean_reason(reason: Option<&str>) -> Option<String> {
    reason
        .map(|reason| shorten(&sanitize_line(reason), MAX_REASON_CHARS))
        .filter(|reason| !reason.is_empty())
}

/// How long is left of a sanction ending at `until_ms`, for people: `for 9m 30s`, or
/// `for ever`.
pub fn time_left(until_ms: Option<i64>, now_ms: i64) -> String {
    match until_ms {
        Some(until) => {
            let left = Duration::from_millis(until.saturating_sub(now_ms).max(1000) as u64);
            format!("for {}", format_duration(left))
        }
        None => "for ever".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_the_accounts_named_in_any_case_and_their_look_alikes_are_protected() {
        let operators = Operators::new(&["Root_Op".to_owned()]);
        assert!(operators.is_operator("root_op"));
        assert!(!operators.is_operator("bob"));
        assert!(operators.protects("ROOT_OP"));
        assert!(operators.protects("r00t_op"), "a look-alike");
        assert!(!operators.protects("bob"));
    }

    #[test]
    fn durations_are_bounded_and_reasons_cleaned() {
        assert!(checked_duration(Duration::ZERO).is_err());
        assert!(checked_duration(Duration::from_secs(u64::MAX)).is_err());
        assert!(checked_duration(MAX_SANCTION).is_ok());
        let hostile = format!("\u{1b}[2J{}\nmore", "x".repeat(10_000));
        let reason = clean_reason(Some(&hostile)).unwrap();
        assert!(reason.chars().count() <= MAX_REASON_CHARS);
        assert!(!reason.contains('\u{1b}') && !reason.contains('\n'));
        assert_eq!(clean_reason(Some(" \u{7} ")), None);
        assert_eq!(time_left(Some(600_000), 30_000), "for 9m 30s");
        assert_eq!(time_left(None, 0), "for ever");
    }
}
