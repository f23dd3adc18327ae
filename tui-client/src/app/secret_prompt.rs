//! Hidden fields for passwords: the login form's, and the one that opens over the input
//! line when `/register`, `/password` or `/unregister` is typed without its password.
//! What is typed there is drawn as dots, never enters the input history or the
//! scrollback, and shows as `HiddenField(..)` in debug output.

use std::fmt;
use std::ops::{Deref, DerefMut};

use chat_shared::password::Secret;

use super::input::InputLine;

/// A line being typed that holds a password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HiddenField(InputLine);

impl HiddenField {
    /// A field holding `text`, the cursor at its end.
    pub fn with_text(text: &str) -> Self {
        Self(InputLine::with_text(text))
    }

    /// Takes the password out, leaving the field empty; `None` when it was empty.
    pub fn take_secret(&mut self) -> Option<Secret> {
        let text = self.0.take();
        (!text.is_empty()).then(|| Secret::new(text))
    }
}

impl fmt::Debug for HiddenField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HiddenField(..)")
    }
}

impl Deref for HiddenField {
    type Target = InputLine;

    fn deref(&self) -> &InputLine {
        &self.0
    }
}

impl DerefMut for HiddenField {
    fn deref_mut(&mut self) -> &mut InputLine {
        &mut self.0
    }
}

/// What the password asked for is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// `/register`: the new account's password.
    Register,
    /// `/register`, second step: the same again, since a typo nobody could see would
    /// lock the user out of the account.
    ConfirmRegister {
        /// The password given in the first step.
        first: Secret,
    },
    /// `/password`, first step: the password now.
    OldPassword,
    /// `/password`, second step: the password from now on.
    NewPassword {
        /// The password given in the first step.
        old: Secret,
    },
    /// `/password`, third step: the new password again, for the same reason as
    /// [`Purpose::ConfirmRegister`].
    ConfirmNewPassword {
        /// The password given in the first step.
        old: Secret,
        /// The password given in the second step.
        new: Secret,
    },
    /// `/unregister`: the account's password.
    Unregister,
}

/// The hidden field over the input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretPrompt {
    /// What it is for.
    pub purpose: Purpose,
    /// What is typed.
    pub field: HiddenField,
}

impl SecretPrompt {
    /// An empty field for `purpose`.
    pub fn new(purpose: Purpose) -> Self {
        Self {
            purpose,
            field: HiddenField::default(),
        }
    }

    /// The label drawn before the field.
    pub fn label(&self) -> &'static str {
        match self.purpose {
            Purpose::Register => "New account's password: ",
            Purpose::OldPassword => "Current password: ",
            Purpose::NewPassword { .. } => "New password: ",
            Purpose::ConfirmRegister { .. } | Purpose::ConfirmNewPassword { .. } => {
                "The same again, to confirm: "
            }
            Purpose::Unregister => "Password to unregister: ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_field_never_shows_its_text_in_debug() {
        let field = HiddenField::with_text("hunter2");
        assert_eq!(format!("{field:?}"), "HiddenField(..)");
        let prompt = SecretPrompt {
            purpose: Purpose::NewPassword {
                old: Secret::new("old-one"),
            },
            field,
        };
        let shown = format!("{prompt:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("old-one"),
            "{shown}"
        );
    }
}
