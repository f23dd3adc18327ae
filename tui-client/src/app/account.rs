//! The account commands: `/register`, `/password` and `/unregister`. Their passwords
//! never enter the input history or the scrollback.

use chat_shared::command::PasswordChange;
use chat_shared::frame::ClientFrame;
use chat_shared::password::Secret;

use super::App;

impl App {
    /// `/register PASSWORD`: makes the name an account.
    pub(super) fn register(&mut self, password: Option<Secret>) {
        match password {
            Some(password) => self.when_connected(
                "/register",
                ClientFrame::Register {
                    password: password.into_inner(),
                },
            ),
            None => self.error("Usage: /register PASSWORD"),
        }
    }

    /// `/password OLD NEW`: changes the account's password.
    pub(super) fn change_password(&mut self, change: Option<PasswordChange>) {
        match change {
            Some(PasswordChange { old, new }) => self.when_connected(
                "/password",
                ClientFrame::Password {
                    old: old.into_inner(),
                    new: new.into_inner(),
                },
            ),
            None => self.error("Usage: /password OLD NEW"),
        }
    }

    /// `/unregister PASSWORD`: ends the account.
    pub(super) fn unregister(&mut self, password: Option<Secret>) {
        match password {
            Some(password) => self.when_connected(
                "/unregister",
                ClientFrame::Unregister {
                    password: password.into_inner(),
                },
            ),
            None => self.error("Usage: /unregister PASSWORD"),
        }
    }
}
