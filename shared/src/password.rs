//! Password rules, shared so that `chat-tui` refuses what the server would refuse before
//! sending it.
//!
//! A password is 1 to [`MAX_PASSWORD_BYTES`] bytes of UTF-8 after NFC normalization (so
//! that `é` typed as one character or as `e` and a combining accent is the same
//! password), without control characters: a terminal cannot type them reliably, and a
//! password that holds a line break could never be typed on one line of plain mode.
//! Surrounding whitespace is part of nothing: plain mode trims typed lines, so it is
//! trimmed here too. Nothing else is demanded (no composition rules, as NIST SP 800-63B
//! advises); the server hashes what is left.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// The longest password, in bytes after normalization. The hash costs the same for any
/// length, but a cap keeps what the server holds and hashes small and says clearly what
/// is refused; 1024 bytes is far beyond any passphrase.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A password on its way through a program: it shows as `Secret(..)` in `Debug`, so
/// that no log line, panic message or test failure can print it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    /// The password itself, for the few places that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The password itself, given up.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Why a password is refused; `Display` is the reason shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`MAX_PASSWORD_BYTES`].
    TooLong,
    /// Holds a control character (a line break, an escape, ...).
    ControlCharacter,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordError::Empty => write!(f, "a password may not be empty"),
            PasswordError::TooLong => {
                write!(
                    f,
                    "a password may be at most {MAX_PASSWORD_BYTES} bytes long"
                )
            }
            PasswordError::ControlCharacter => {
                write!(f, "a password may not contain control characters")
            }
        }
    }
}

impl std::error::Error for PasswordError {}

/// Checks a password and returns it in the form that is hashed and compared.
pub fn validate_password(input: &str) -> Result<String, PasswordError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PasswordError::Empty);
    }
    // Refused before normalizing, so that a huge input costs nothing more.
    if trimmed.len() > MAX_PASSWORD_BYTES * 4 {
        return Err(PasswordError::TooLong);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(PasswordError::ControlCharacter);
    }
    let normalized: String = trimmed.nfc().collect();
    if normalized.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong);
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_passphrases_and_normalizes_them() {
        assert_eq!(
            validate_password("  correct horse battery staple "),
            Ok("correct horse battery staple".to_owned())
        );
        assert_eq!(
            validate_password("cafe\u{301}"),
            validate_password("caf\u{e9}"),
            "the same password however the accent was typed"
        );
        assert_eq!(
            validate_password(&"x".repeat(MAX_PASSWORD_BYTES)).map(|p| p.len()),
            Ok(MAX_PASSWORD_BYTES)
        );
    }

    #[test]
    fn a_secret_never_shows_in_debug() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(..)");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn refuses_empty_huge_and_control_characters() {
        assert_eq!(validate_password(" \t "), Err(PasswordError::Empty));
        assert_eq!(
            validate_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            validate_password(&"é".repeat(MAX_PASSWORD_BYTES)),
            Err(PasswordError::TooLong),
            "counted in bytes"
        );
        assert_eq!(
            validate_password("two\nlines"),
            Err(PasswordError::ControlCharacter)
        );
        assert_eq!(
            validate_password("esc\u{1b}[2J"),
            Err(PasswordError::ControlCharacter)
        );
        assert_eq!(
            PasswordError::TooLong.to_string(),
            "a password may be at most 1024 bytes long"
        );
    }
}
