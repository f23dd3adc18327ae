//! The account commands: `/register`, `/password` and `/unregister`. Typed without their
//! passwords, they open a hidden field over the input line ([`SecretPrompt`]), which
//! asks for a new password twice. Their passwords never enter the input history or the
//! scrollback; the one the account has once the server agrees is kept to log in again
//! after a reconnect.

use chat_shared::command::PasswordChange;
use chat_shared::frame::{ClientFrame, ErrorCode};
use chat_shared::password::{Secret, validate_password};

use super::secret_prompt::{Purpose, SecretPrompt};
use super::{App, Connection, Update};
use crate::keymap::Action;

impl App {
    /// `/register [PASSWORD]`: makes the name an account.
    pub(super) fn register(&mut self, password: Option<Secret>) {
        match password {
            Some(password) => self.send_register(password),
            None => self.open_prompt(Purpose::Register),
        }
    }

    /// `/password [OLD NEW]`: changes the account's password.
    pub(super) fn change_password(&mut self, change: Option<PasswordChange>) {
        match change {
            Some(PasswordChange { old, new }) => self.send_change(old, new),
            None => self.open_prompt(Purpose::OldPassword),
        }
    }

    /// `/unregister [PASSWORD]`: ends the account.
    pub(super) fn unregister(&mut self, password: Option<Secret>) {
        match password {
            Some(password) => self.send_unregister(password),
            None => self.open_prompt(Purpose::Unregister),
        }
    }

    /// A key while the hidden field is open: Enter takes the password, Esc gives up,
    /// editing keys edit it; nothing else works meanwhile.
    pub(super) fn act_on_prompt(&mut self, action: Action) -> Update {
        let Some(prompt) = self.prompt.as_mut() else {
            return Update::none();
        };
        match action {
            Action::Submit => {}
            Action::Escape => {
                self.prompt = None;
                self.info("Cancelled: no password was sent.");
                return Update::redraw();
            }
            action => {
                return if super::keys::edit(&mut prompt.field, action) {
                    Update::redraw()
                } else {
                    Update::none()
                };
            }
        }
        let typed = prompt.field.take_secret().unwrap_or_default();
        if let Err(reason) = validate_password(typed.expose()) {
            self.error(format!("Not sent: {reason}."));
            return Update::redraw();
        }
        let Some(prompt) = self.prompt.take() else {
            return Update::none();
        };
        match prompt.purpose {
            Purpose::Register => self.ask_next(Purpose::ConfirmRegister { first: typed }),
            Purpose::ConfirmRegister { first } if first == typed => self.send_register(typed),
            Purpose::OldPassword => self.ask_next(Purpose::NewPassword { old: typed }),
            Purpose::NewPassword { old } => {
                self.ask_next(Purpose::ConfirmNewPassword { old, new: typed });
            }
            Purpose::ConfirmNewPassword { old, new } if new == typed => {
                self.send_change(old, typed);
            }
            Purpose::ConfirmRegister { .. } | Purpose::ConfirmNewPassword { .. } => {
                self.error("The two passwords differ: nothing was sent. Try again.");
            }
            Purpose::Unregister => self.send_unregister(typed),
        }
        Update::redraw()
    }

    /// Opens the hidden field's next step, saying what it asks for.
    fn ask_next(&mut self, purpose: Purpose) {
        let prompt = SecretPrompt::new(purpose);
        self.info(format!(
            "{}: hidden as you type. Enter sends it, Esc cancels.",
            prompt.label().trim_end_matches(": ")
        ));
        self.prompt = Some(prompt);
    }

    /// The server answered an account command: the account has `pending_password` now
    /// (`registered`), or there is no account any more.
    pub(super) fn on_account(&mut self, registered: bool) {
        if registered {
            if let Some(password) = self.pending_password.take() {
                self.password = Some(password);
            }
        } else {
            self.pending_password = None;
            self.password = None;
        }
    }

    /// An error may refuse the account command waiting for an answer.
    pub(super) fn account_refused(&mut self, code: ErrorCode) {
        if matches!(
            code,
            ErrorCode::WrongPassword
                | ErrorCode::PasswordInvalid
                | ErrorCode::EncryptionRequired
                | ErrorCode::NotRegistered
                | ErrorCode::AlreadyRegistered
                | ErrorCode::Throttled
                | ErrorCode::AccountsUnavailable
        ) {
            self.pending_password = None;
        }
    }

    fn open_prompt(&mut self, purpose: Purpose) {
        if self.connection == Connection::LoggedIn {
            self.ask_next(purpose);
        } else {
            self.error("Not connected: try again once reconnected");
        }
    }

    fn send_register(&mut self, password: Secret) {
        if self.connection == Connection::LoggedIn {
            self.pending_password = Some(password.clone());
        }
        self.when_connected(
            "/register",
            ClientFrame::Register {
                password: password.into_inner(),
            },
        );
    }

    fn send_change(&mut self, old: Secret, new: Secret) {
        if self.connection == Connection::LoggedIn {
            self.pending_password = Some(new.clone());
        }
        self.when_connected(
            "/password",
            ClientFrame::Password {
                old: old.into_inner(),
                new: new.into_inner(),
            },
        );
    }

    fn send_unregister(&mut self, password: Secret) {
        self.when_connected(
            "/unregister",
            ClientFrame::Unregister {
                password: password.into_inner(),
            },
        );
    }
}
