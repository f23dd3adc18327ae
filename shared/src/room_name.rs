//! Room names: `#` and then a name under the rules for user names.
//!
//! A room is named by people as a user is, and is as easy to imitate, so the same rules
//! apply after the `#` ([`crate::name`]: letters and digits of one script, no invisible
//! or stylized characters), up to [`MAX_ROOM_CHARS`]. Two rooms are the same room when
//! their names are the same in any case or look alike: the server compares them by
//! [`crate::name::name_key`] and [`crate::name::name_claims`], as it does users.

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::name::{NameError, check_characters, check_shape, clashing_scripts};

/// The longest room name, in characters after the `#`.
pub const MAX_ROOM_CHARS: usize = 32;

/// Why a proposed room name is refused; its `Display` is the reason shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoomNameError {
    /// The name does not start with `#`.
    #[error("a room name starts with # (as in #general)")]
    NoHash,
    /// More than [`MAX_ROOM_CHARS`] characters after the `#`.
    #[error("a room name has at most {MAX_ROOM_CHARS} characters after the #")]
    TooLong,
    /// What follows the `#` breaks the rules for names.
    #[error("{}", .0.to_string().replacen("the name", "the room name", 1))]
    Invalid(NameError),
}

/// Checks a proposed room name and returns it as everyone will see it (NFC-normalized).
pub fn validate_room_name(input: &str) -> Result<String, RoomNameError> {
    let room: String = input.nfc().collect();
    let name = room.strip_prefix('#').ok_or(RoomNameError::NoHash)?;
    if name.chars().count() > MAX_ROOM_CHARS {
        return Err(RoomNameError::TooLong);
    }
    check_characters(name).map_err(RoomNameError::Invalid)?;
    check_shape(name, MAX_ROOM_CHARS).map_err(RoomNameError::Invalid)?;
    if let Some((first, second)) = clashing_scripts(name) {
        return Err(RoomNameError::Invalid(NameError::MixedScripts(
            first, second,
        )));
    }
    Ok(room)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::{name_claims, name_key};
    use proptest::prelude::*;

    #[test]
    fn accepts_rooms_named_like_users() {
        for room in ["#general", "#dev", "#ops-2", "#Zażółć", "#李雷", "#a"] {
            assert_eq!(validate_room_name(room).as_deref(), Ok(room), "{room}");
        }
        let longest = format!("#{}", "x".repeat(MAX_ROOM_CHARS));
        assert_eq!(validate_room_name(&longest), Ok(longest.clone()));
    }

    #[test]
    fn refuses_names_without_a_hash_too_long_or_breaking_the_name_rules() {
        assert_eq!(validate_room_name("general"), Err(RoomNameError::NoHash));
        assert_eq!(
            validate_room_name("#"),
            Err(RoomNameError::Invalid(NameError::Empty))
        );
        let long = format!("#{}", "x".repeat(MAX_ROOM_CHARS + 1));
        assert_eq!(validate_room_name(&long), Err(RoomNameError::TooLong));
        assert_eq!(
            validate_room_name("#de v").unwrap_err().to_string(),
            "the room name may not contain spaces"
        );
        assert!(validate_room_name("#dev\u{200b}").is_err());
        assert!(
            validate_room_name("#dеv").is_err(),
            "Cyrillic е among Latin"
        );
        assert!(validate_room_name("##dev").is_err());
    }

    #[test]
    fn rooms_that_differ_in_case_or_looks_are_the_same_room() {
        assert_eq!(name_key("#Dev"), name_key("#dev"));
        let claims = name_claims("#dev");
        for twin in ["#DEV", "#deV"] {
            assert!(name_claims(twin).iter().any(|claim| claims.contains(claim)));
        }
        let general = name_claims("#general");
        assert!(
            name_claims("#generaI")
                .iter()
                .any(|claim| general.contains(claim))
        );
    }

    proptest! {
        #[test]
        fn valid_room_names_are_stable(input in "#\\PC{0,40}") {
            if let Ok(room) = validate_room_name(&input) {
                prop_assert_eq!(validate_room_name(&room), Ok(room.clone()));
                prop_assert!(room.chars().count() <= MAX_ROOM_CHARS + 1);
            }
        }
    }
}
