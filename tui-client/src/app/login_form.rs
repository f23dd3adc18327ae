//! The login form's state: the name and the hidden password being typed, which of them
//! has the keys, and the server's last refusal.

use super::input::InputLine;
use super::secret_prompt::HiddenField;

/// The login form's state.
#[derive(Debug, Clone, Default)]
pub struct LoginForm {
    /// The name being typed.
    pub name: InputLine,
    /// The password being typed: needed only for a registered name, and always drawn
    /// hidden.
    pub password: HiddenField,
    /// Which field the keys go to.
    pub focus: LoginField,
    /// Why the server refused the last name, until the name is edited.
    pub rejection: Option<String>,
}

/// A field of the login form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LoginField {
    /// The name.
    #[default]
    Name,
    /// The password.
    Password,
}
