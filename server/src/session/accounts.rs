//! Accounts from the session's side: claiming a registered name with its password,
//! `/register`, `/password` and `/unregister`.
//!
//! Everything here runs on the session's own thread with no lock held: the accounts'
//! store may touch the disk, and a hash costs tens of milliseconds on purpose.
//! Whether the connection may carry passwords at all is decided before a password is
//! looked at.

use std::time::Instant;

use chat_shared::frame::{ErrorCode, ServerFrame};
use chat_shared::name::name_key;
use chat_shared::password::{Secret, validate_password};

use super::machine::Session;
use crate::accounts::policy::{PLAIN_PASSWORDS_REFUSED, passwords_allowed};
use crate::accounts::{Account, AccountError, Lookup};
use crate::mode::Mode;

/// What the accounts say about a name a session wants.
#[derive(Debug)]
pub(super) enum Claim {
    /// The session may use the name; with the account it proved, if the name is one.
    Granted(Option<String>),
    /// The session may not; it has been told why.
    Refused,
    /// Plain mode: the name is registered and its password is asked for on the next
    /// line.
    AskedForPassword,
}

/// Why a password was not accepted, with what the client is told.
struct Refusal {
    code: ErrorCode,
    message: String,
}

impl Refusal {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// What plain mode says before reading a password line.
fn password_prompt(name: &str) -> String {
    format!(
        "* {name} is a registered name. Type its password on the next line \
         (this line is a password: nc shows what you type, so mind who sees your screen; \
         an empty line gives up).\r\n"
    )
}

impl Session<'_> {
    /// Whether this session may use `name`, which may be an account or look like one.
    /// `password` proves a registered name; in plain mode without one, `ask` asks for
    /// it on the next line.
    pub(super) fn claim(
        &mut self,
        name: &str,
        password: Option<Secret>,
        ask: bool,
        now: Instant,
    ) -> Claim {
        let refuse = |session: &mut Self, code, message: String| {
            session.reply(&ServerFrame::NameRejected {
                name: name.to_owned(),
                code,
                message,
            });
            Claim::Refused
        };
        let account = match self.shared.accounts.lookup(name) {
            Ok(Lookup::Free) => {
                if password.is_some() && self.name.is_none() {
                    self.reply(&ServerFrame::Notice {
                        text: format!("{name} is not a registered name; no password was needed."),
                    });
                }
                return Claim::Granted(None);
            }
            Ok(Lookup::LooksLike(owner)) if self.owns(&owner) => {
                return Claim::Granted(Some(owner));
            }
            Ok(Lookup::LooksLike(owner)) => {
                return refuse(
                    self,
                    ErrorCode::NameTaken,
                    format!("the name \"{name}\" looks like the registered name \"{owner}\""),
                );
            }
            Ok(Lookup::Registered(account)) => account,
            Err(error) => {
                tracing::error!("{error}");
                return refuse(
                    self,
                    ErrorCode::AccountsUnavailable,
                    "accounts cannot be read right now; try again later".to_owned(),
                );
            }
        };
        if self.owns(&account.name) {
            return Claim::Granted(Some(account.name));
        }
        if !self.may_send_passwords() {
            return refuse(
                self,
                ErrorCode::EncryptionRequired,
                format!("the name \"{name}\" is registered, but {PLAIN_PASSWORDS_REFUSED}"),
            );
        }
        let Some(password) = password else {
            if ask && self.mode == Some(Mode::Plain) {
                self.send(password_prompt(name).as_bytes());
                self.awaiting_password = Some(name.to_owned());
                return Claim::AskedForPassword;
            }
            let how = if self.name.is_some() {
                "log in as it with its password to use it"
            } else {
                "log in with its password"
            };
            return refuse(
                self,
                ErrorCode::PasswordRequired,
                format!("the name \"{name}\" is registered; {how}"),
            );
        };
        match self.check_password(&account, &password, now) {
            Ok(()) => Claim::Granted(Some(account.name)),
            Err(refusal) => refuse(self, refusal.code, refusal.message),
        }
    }

    /// `/register`: makes the current name an account with `password`.
    pub(super) fn register(&mut self, password: &Secret) {
        let Some(name) = self.name.clone() else {
            return;
        };
        if let Err(refusal) = self.password_allowed(password) {
            return self.error(refusal.code, &refusal.message);
        }
        if self.owns(&name) {
            return self.error(
                ErrorCode::AlreadyRegistered,
                &format!("You are registered as {name} already; /password changes the password"),
            );
        }
        let hash = match self.shared.hasher.hash(password.expose()) {
            Ok(hash) => hash,
            Err(error) => {
                tracing::error!("{error}");
                return self.error(ErrorCode::AccountsUnavailable, "Cannot register now.");
            }
        };
        let account = Account {
            name: name.clone(),
            hash,
            created_ms: jiff::Timestamp::now().as_millisecond(),
        };
        match self.shared.accounts.create(&account) {
            Ok(()) => {
                tracing::info!(peer = %self.peer, "{name} registered");
                self.account = Some(name.clone());
                self.permit.set_operator(self.is_operator());
                self.reply(&ServerFrame::Account {
                    message: format!(
                        "{name} is now registered: from now on, using this name needs its \
                         password."
                    ),
                    name,
                    registered: true,
                });
            }
            Err(AccountError::Taken(owner)) => self.error(
                ErrorCode::AlreadyRegistered,
                &format!("Cannot register {name}: {owner} is registered already"),
            ),
            Err(error @ AccountError::Store(_)) => self.store_failed(&error),
        }
    }

    /// `/password`: changes the password of the account logged in to.
    pub(super) fn change_password(&mut self, old: &Secret, new: &Secret, now: Instant) {
        let Some(account) = self.proven_account(old, now) else {
            return;
        };
        let new = match self.password_allowed(new) {
            Ok(new) => new,
            Err(refusal) => return self.error(refusal.code, &refusal.message),
        };
        let hash = match self.shared.hasher.hash(&new) {
            Ok(hash) => hash,
            Err(error) => {
                tracing::error!("{error}");
                return self.error(ErrorCode::AccountsUnavailable, "Cannot change it now.");
            }
        };
        match self.shared.accounts.set_hash(&account.name, &hash) {
            Ok(true) => self.reply(&ServerFrame::Account {
                message: format!("The password of {} is changed.", account.name),
                name: account.name,
                registered: true,
            }),
            Ok(false) => self.account_gone(),
            Err(error) => self.store_failed(&error),
        }
    }

    /// `/unregister`: ends the account logged in to.
    pub(super) fn unregister(&mut self, password: &Secret, now: Instant) {
        let Some(account) = self.proven_account(password, now) else {
            return;
        };
        match self.shared.accounts.delete(&account.name) {
            Ok(true) => {
                tracing::info!(peer = %self.peer, "{} unregistered", account.name);
                self.account = None;
                self.permit.set_operator(false);
                self.reply(&ServerFrame::Account {
                    message: format!(
                        "{} is no longer registered: anyone may use the name once you leave it.",
                        account.name
                    ),
                    name: account.name,
                    registered: false,
                });
            }
            Ok(false) => self.account_gone(),
            Err(error) => self.store_failed(&error),
        }
    }

    /// Whether this session logged in to the account called `name` (in any case).
    pub(super) fn owns(&self, name: &str) -> bool {
        self.account
            .as_deref()
            .is_some_and(|account| name_key(account) == name_key(name))
    }

    /// Whether this connection may carry passwords.
    fn may_send_passwords(&self) -> bool {
        passwords_allowed(
            self.peer.ip(),
            self.encrypted,
            self.shared.config.allow_plain_passwords,
        )
    }

    /// The password to use, if this connection may send passwords and `password`
    /// follows the rules.
    fn password_allowed(&self, password: &Secret) -> Result<String, Refusal> {
        if !self.may_send_passwords() {
            return Err(Refusal::new(
                ErrorCode::EncryptionRequired,
                format!("Refused: {PLAIN_PASSWORDS_REFUSED}."),
            ));
        }
        validate_password(password.expose())
            .map_err(|error| Refusal::new(ErrorCode::PasswordInvalid, error.to_string()))
    }

    /// The account this session logged in to, if `password` is still its password;
    /// otherwise the client has been told why not.
    fn proven_account(&mut self, password: &Secret, now: Instant) -> Option<Account> {
        let Some(name) = self.account.clone() else {
            self.error(
                ErrorCode::NotRegistered,
                "You have not logged in to an account; /register makes your name one.",
            );
            return None;
        };
        let account = match self.shared.accounts.lookup(&name) {
            Ok(Lookup::Registered(account)) => account,
            Ok(_) => {
                self.account_gone();
                return None;
            }
            Err(error) => {
                self.store_failed(&error);
                return None;
            }
        };
        match self.check_password(&account, password, now) {
            Ok(()) => Some(account),
            Err(refusal) => {
                self.error(refusal.code, &refusal.message);
                None
            }
        }
    }

    /// Checks `password` against `account`: refused at once while too many wrong
    /// passwords lock the name or this address, and counted when wrong.
    fn check_password(
        &self,
        account: &Account,
        password: &Secret,
        now: Instant,
    ) -> Result<(), Refusal> {
        let password = self.password_allowed(password)?;
        let key = name_key(&account.name);
        let ip = self.peer.ip();
        if let Err(wait) = self.shared.logins.check(&key, ip, now) {
            return Err(Refusal::new(
                ErrorCode::Throttled,
                format!(
                    "too many wrong passwords; try again in {} s",
                    wait.as_secs().max(1)
                ),
            ));
        }
        if self.shared.hasher.verify(&password, &account.hash) {
            self.shared.logins.succeeded(&key);
            Ok(())
        } else {
            tracing::info!(peer = %self.peer, "wrong password for {}", account.name);
            self.shared.logins.failed(&key, ip, now);
            Err(Refusal::new(
                ErrorCode::WrongPassword,
                format!("wrong password for {}", account.name),
            ))
        }
    }

    /// The account was deleted meanwhile (offline, by the operator).
    fn account_gone(&mut self) {
        self.account = None;
        self.permit.set_operator(false);
        self.error(
            ErrorCode::NotRegistered,
            "Your account no longer exists; /register makes your name one again.",
        );
    }

    fn store_failed(&mut self, error: &AccountError) {
        tracing::error!("{error}");
        self.error(
            ErrorCode::AccountsUnavailable,
            "Accounts cannot be changed right now; try again later.",
        );
    }
}
