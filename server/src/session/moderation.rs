//! Carrying out an operator's commands: kick, mute, unmute, ban, unban and the list of
//! bans. Everyone else gets `not_operator`.
//!
//! A kick or a ban does not end the other session from here: it marks the connection
//! in the connection table and hangs it up, and that session ends itself, telling its
//! rooms (with who did it and why) and its client. So a departure is told exactly once,
//! by the code that tells every other one.

use std::time::Duration;

use chat_shared::frame::{ErrorCode, ServerFrame};
use chat_shared::text::sanitize_line;

use super::machine::Session;
use crate::moderation::{
    Ban, DEFAULT_MUTE, Removal, Target, checked_duration, clean_reason, time_left,
};
use crate::request::Moderate;
use crate::room::{Mute, RoomError, now_ms};

impl Session<'_> {
    /// Whether this session is an operator's: it proved, with the password, that it owns
    /// an account named with `--operator` (the name alone is never enough). The one
    /// place that decides.
    pub(super) fn is_operator(&self) -> bool {
        self.account
            .as_deref()
            .is_some_and(|account| self.shared.operators.is_operator(account))
    }

    /// Carries out an operator's command, or refuses it with `not_operator`.
    pub(super) fn moderate(&mut self, command: Moderate) {
        let Some(by) = self.name.clone().filter(|_| self.is_operator()) else {
            return self.error(
                ErrorCode::NotOperator,
                "Only operators may do that (an operator logs in to its account with its \
                 password).",
            );
        };
        match command {
            Moderate::Kick { name, reason } => self.kick(&by, &name, reason.as_deref()),
            Moderate::Mute {
                name,
                duration,
                reason,
            } => self.mute(&by, &name, duration, reason.as_deref()),
            Moderate::Unmute(name) => self.unmute(&by, &name),
            Moderate::Ban {
                target,
                duration,
                reason,
            } => self.ban(&by, &target, duration, reason.as_deref()),
            Moderate::Unban(target) => self.unban(&by, &target),
            Moderate::Bans => {
                let bans = self.shared.bans.list(now_ms());
                self.reply(&ServerFrame::BanList {
                    bans: bans.iter().map(Ban::info).collect(),
                });
            }
        }
    }

    fn kick(&mut self, by: &str, name: &str, reason: Option<&str>) {
        let Some((id, target)) = self.shared.rooms.member_named(name) else {
            return self.no_such_user(name);
        };
        if self.shared.operators.protects(&target) || self.shared.connections.is_operator(id) {
            return self.protected(&target);
        }
        let removal = Removal::kick(by, clean_reason(reason));
        if !self.shared.connections.remove_one(id, &removal) {
            return self.no_such_user(name);
        }
        tracing::info!(peer = %self.peer, "{by} kicked {target}");
        self.notice(format!("You kicked {target}."));
    }

    fn mute(&mut self, by: &str, name: &str, duration: Option<Duration>, reason: Option<&str>) {
        let duration = match checked_duration(duration.unwrap_or(DEFAULT_MUTE)) {
            Ok(duration) => duration,
            Err(why) => return self.error(ErrorCode::BadFrame, &why),
        };
        let online_operator = self
            .shared
            .rooms
            .member_named(name)
            .is_some_and(|(id, _)| self.shared.connections.is_operator(id));
        if self.shared.operators.protects(name) || online_operator {
            return self.protected(name);
        }
        let now = now_ms();
        let mute = Mute {
            until_ms: now.saturating_add(duration.as_millis() as i64),
            by: by.to_owned(),
        };
        match self.shared.rooms.mute(name, mute, clean_reason(reason)) {
            Ok(muted) => {
                tracing::info!(peer = %self.peer, "{by} muted {muted}");
                let until = Some(now.saturating_add(duration.as_millis() as i64));
                self.notice(format!("You muted {muted} {}.", time_left(until, now)));
            }
            Err(RoomError::NoSuchUser) => self.no_such_user(name),
            Err(refusal) => self.refuse_room(&refusal),
        }
    }

    fn unmute(&mut self, by: &str, name: &str) {
        let shown = sanitize_line(name);
        if self.shared.rooms.unmute(name, by) {
            tracing::info!(peer = %self.peer, "{by} unmuted {shown}");
            self.notice(format!("{shown} may speak again."));
        } else {
            self.notice(format!("{shown} is not muted."));
        }
    }

    fn ban(&mut self, by: &str, target: &str, duration: Option<Duration>, reason: Option<&str>) {
        let target = match Target::parse(target) {
            Ok(target) => target,
            Err(why) => return self.error(ErrorCode::BadFrame, &why),
        };
        let duration = match duration.map(checked_duration).transpose() {
            Ok(duration) => duration,
            Err(why) => return self.error(ErrorCode::BadFrame, &why),
        };
        let protected = match &target {
            Target::Name { name, .. } => {
                let connections = &self.shared.connections;
                self.shared.operators.protects(name)
                    || (self.shared.rooms.members_covered(&target).into_iter())
                        .any(|id| connections.is_operator(id))
            }
            Target::Net(_) => self.shared.connections.covers_operator(&target),
        };
        if protected {
            return self.protected(&target.to_string());
        }
        let now = now_ms();
        let ban = Ban {
            target,
            by: by.to_owned(),
            reason: clean_reason(reason),
            since_ms: now,
            until_ms: duration.map(|d| now.saturating_add(d.as_millis() as i64)),
        };
        if let Err(error) = self.shared.bans.add(ban.clone()) {
            tracing::error!("a ban is not written down: {error}");
            self.notice("The ban could not be saved: it holds until the server stops.".into());
        }
        let removal = Removal::ban(&ban, now);
        let ended = match &ban.target {
            Target::Name { .. } => {
                let covered = self.shared.rooms.members_covered(&ban.target);
                let connections = &self.shared.connections;
                covered
                    .into_iter()
                    .filter(|&id| connections.remove_one(id, &removal))
                    .count()
            }
            Target::Net(_) => self
                .shared
                .connections
                .remove_covered(&ban.target, &removal)
                .unwrap_or(0),
        };
        tracing::info!(peer = %self.peer, "{by} banned {}", ban.target);
        self.notice(format!(
            "Banned {} {}; {ended} disconnected.",
            ban.target,
            time_left(ban.until_ms, now)
        ));
    }

    fn unban(&mut self, by: &str, target: &str) {
        let target = match Target::parse(target) {
            Ok(target) => target,
            Err(why) => return self.error(ErrorCode::BadFrame, &why),
        };
        match self.shared.bans.remove(&target, now_ms()) {
            Ok(Some(ban)) => {
                tracing::info!(peer = %self.peer, "{by} lifted the ban on {}", ban.target);
                self.notice(format!("Lifted the ban on {}.", ban.target));
            }
            Ok(None) => self.error(
                ErrorCode::NoSuchBan,
                &format!("Nothing is banned as {target}; /bans lists the bans."),
            ),
            Err(error) => {
                tracing::error!("a lifted ban stays in the database: {error}");
                self.notice(format!(
                    "Lifted the ban on {target} until the server stops; it could not be \
                     removed from the database."
                ));
            }
        }
    }

    fn no_such_user(&mut self, name: &str) {
        self.error(
            ErrorCode::NoSuchUser,
            &format!("No one called \"{}\" is online", sanitize_line(name)),
        );
    }

    fn protected(&mut self, target: &str) {
        self.error(
            ErrorCode::Protected,
            &format!(
                "Refused: {} is, or covers, an operator; operators cannot be kicked, muted or \
                 banned.",
                sanitize_line(target)
            ),
        );
    }

    fn notice(&mut self, text: String) {
        self.reply(&ServerFrame::Notice { text });
    }
}
