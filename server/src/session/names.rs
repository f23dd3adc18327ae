//! Choosing a name, which logs in and joins the default room, and changing it.

use std::sync::Arc;
use std::time::Instant;

use chat_shared::frame::{ErrorCode, EventId, ServerFrame};
use chat_shared::name::{NameError, name_claims, validate_name};
use chat_shared::password::Secret;
use chat_shared::text::sanitize_line;

use super::accounts::Claim;
use super::ending::End;
use super::machine::{Next, Session};
use crate::mode::Mode;
use crate::plain;
use crate::room::{Entering, RoomError, now_ms};

impl Session<'_> {
    /// Logs in under `requested` at `now` (which joins the default room, with its history
    /// after `after`), or says why not and asks again. A registered name needs its
    /// `password` (plain mode asks for it on the next line).
    pub(super) fn login(
        &mut self,
        requested: &str,
        after: Option<EventId>,
        password: Option<Secret>,
        now: Instant,
    ) -> Next {
        self.awaiting_password = None;
        let name = match validate_name(requested) {
            Ok(name) => name,
            Err(reason) => {
                self.reject_name(requested, &reason);
                return Next::Read;
            }
        };
        if self.refuse_banned_name(&name) {
            return Next::Read;
        }
        let account = match self.claim(&name, password, true, now) {
            Claim::Granted(account) => account,
            Claim::Refused => {
                self.prompt_for_name();
                return Next::Read;
            }
            Claim::AskedForPassword => return Next::Read,
        };
        let mode = self.mode.unwrap_or(Mode::Plain);
        if !self.permit.set_joined(true) {
            return Next::Close(End::Evicted);
        }
        let delay = self.shared.config.announce_delay;
        let announce_now = delay.is_zero();
        let default_room = self.shared.config.default_room.clone();
        let joined = self.with_cursor(&default_room, |rooms, cursor| {
            let entering = Entering {
                name: &name,
                cursor,
                after,
            };
            rooms.login(self.id, entering, mode, Arc::clone(&self.out), announce_now)
        });
        match joined {
            Ok(query) => {
                tracing::info!(
                    peer = %self.peer,
                    mode = mode.label(),
                    account = account.is_some(),
                    tls = self.encrypted,
                    "{name} joined"
                );
                self.name = Some(name);
                self.account = account;
                self.permit.set_operator(self.is_operator());
                self.announce_at = (!announce_now).then(|| now + delay);
                if let Some(query) = query {
                    self.send_stored_history(&query);
                }
            }
            Err(RoomError::Closed) => return Next::Close(End::ServerStopping),
            Err(_) => {
                self.permit.set_joined(false);
                self.reply(&ServerFrame::NameRejected {
                    message: format!("the name \"{name}\" is taken"),
                    name,
                    code: ErrorCode::NameTaken,
                });
                self.prompt_for_name();
            }
        }
        Next::Read
    }

    /// Changes a joined member's name to `requested`, which everyone is told. A
    /// registered name (or a look-alike of one) is refused, unless it is the account
    /// this session logged in to: renaming cannot carry a password.
    pub(super) fn rename(&mut self, requested: &str, now: Instant) {
        let name = match validate_name(requested) {
            Ok(name) => name,
            Err(reason) => return self.reject_name(requested, &reason),
        };
        if self.name.as_deref() == Some(name.as_str()) {
            return self.reply(&ServerFrame::Notice {
                text: format!("You are already called {name}."),
            });
        }
        if self.refuse_banned_name(&name) {
            return;
        }
        let account = match self.claim(&name, None, false, now) {
            Claim::Granted(account) => account,
            Claim::Refused | Claim::AskedForPassword => return,
        };
        match self.shared.rooms.rename(self.id, &name) {
            Ok(()) => {
                let old = self.name.replace(name.clone()).unwrap_or_default();
                if account.is_some() {
                    self.account = account;
                }
                tracing::info!(peer = %self.peer, "{old} is now known as {name}");
                self.permit.set_operator(self.is_operator());
            }
            Err(refusal @ RoomError::Muted(_)) => self.refuse_room(&refusal),
            Err(_) => self.reply(&ServerFrame::NameRejected {
                message: format!("the name \"{name}\" is taken"),
                name,
                code: ErrorCode::NameTaken,
            }),
        }
    }

    /// Refuses `name` (and asks again) when a ban covers it; returns whether it did.
    fn refuse_banned_name(&mut self, name: &str) -> bool {
        let now = now_ms();
        let Some(ban) = self.shared.bans.on_name(&name_claims(name), now) else {
            return false;
        };
        tracing::info!(peer = %self.peer, "refused the banned name {name}");
        self.reply(&ServerFrame::NameRejected {
            name: name.to_owned(),
            code: ErrorCode::Banned,
            message: ban.describe(now),
        });
        self.prompt_for_name();
        true
    }

    fn reject_name(&mut self, requested: &str, reason: &NameError) {
        let code = match reason {
            NameError::Reserved(_) => ErrorCode::NameReserved,
            _ => ErrorCode::NameInvalid,
        };
        self.reply(&ServerFrame::NameRejected {
            name: sanitize_line(requested),
            code,
            message: reason.to_string(),
        });
        self.prompt_for_name();
    }

    fn prompt_for_name(&self) {
        if self.name.is_none() && self.mode == Some(Mode::Plain) {
            self.send(plain::NAME_PROMPT.as_bytes());
        }
    }
}
