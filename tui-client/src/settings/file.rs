//! The config file: its TOML schema, read strictly. A key the client does not know, a
//! value of the wrong type, a port out of range or a name the server would refuse is an
//! error that names the file, line and column, so that a typo never silently does
//! nothing.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chat_shared::name::validate_name;
use serde::Deserialize;
use toml::Spanned;

use super::{Layer, SettingsError, ThemeChoice};

/// The longest host name DNS allows.
const MAX_HOST_BYTES: usize = 253;

/// The file as written: the top-level keys, then the profiles. (serde cannot combine
/// `flatten` with `deny_unknown_fields`, hence the keys of [`LayerSchema`] again.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSchema {
    host: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    name: Option<Spanned<String>>,
    tls: Option<bool>,
    theme: Option<ThemeChoice>,
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, LayerSchema>,
}

/// One profile as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerSchema {
    host: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    name: Option<Spanned<String>>,
    tls: Option<bool>,
    theme: Option<ThemeChoice>,
}

/// A config file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    /// Where it was read from, for messages.
    pub path: PathBuf,
    /// Its top-level settings.
    pub top: Layer,
    /// The profile used when none is asked for.
    pub default_profile: Option<String>,
    /// The named profiles.
    pub profiles: BTreeMap<String, Layer>,
}

impl ConfigFile {
    /// Parses and checks `text`, the contents of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, SettingsError> {
        let at = |span: Range<usize>, message: String| SettingsError::at(path, text, span, message);
        let schema: FileSchema = toml::from_str(text)
            .map_err(|error| at(error.span().unwrap_or(0..0), error.message().to_owned()))?;
        let top = LayerSchema {
            host: schema.host,
            port: schema.port,
            name: schema.name,
            tls: schema.tls,
            theme: schema.theme,
        };
        let top = top.check(&at)?;
        let mut profiles = BTreeMap::new();
        for (name, layer) in schema.profiles {
            profiles.insert(name, layer.check(&at)?);
        }
        let default_profile = match schema.default_profile {
            None => None,
            Some(chosen) if profiles.contains_key(chosen.get_ref()) => Some(chosen.into_inner()),
            Some(chosen) => {
                let message = format!(
                    "default_profile \"{}\" is not a profile of this file ({})",
                    chosen.get_ref(),
                    known_profiles(&profiles)
                );
                return Err(at(chosen.span(), message));
            }
        };
        Ok(Self {
            path: path.to_owned(),
            top,
            default_profile,
            profiles,
        })
    }
}

impl LayerSchema {
    /// Checks each value the types alone do not.
    fn check(
        self,
        at: &impl Fn(Range<usize>, String) -> SettingsError,
    ) -> Result<Layer, SettingsError> {
        let host = match self.host {
            None => None,
            Some(host) => match check_host(host.get_ref()) {
                Ok(()) => Some(host.into_inner()),
                Err(message) => return Err(at(host.span(), message)),
            },
        };
        let port = match self.port {
            None => None,
            Some(port) => match u16::try_from(*port.get_ref()) {
                Ok(valid) if valid != 0 => Some(valid),
                _ => {
                    let message = format!("port {} is not from 1 to 65535", port.get_ref());
                    return Err(at(port.span(), message));
                }
            },
        };
        let name = match self.name {
            None => None,
            Some(name) => match validate_name(name.get_ref()) {
                Ok(valid) => Some(valid),
                Err(error) => return Err(at(name.span(), format!("invalid name: {error}"))),
            },
        };
        Ok(Layer {
            host,
            port,
            name,
            tls: self.tls,
            theme: self.theme,
        })
    }
}

/// A host is a name or an address: not empty, not too long, no spaces or control
/// characters.
pub(super) fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host is empty".to_owned());
    }
    if host.len() > MAX_HOST_BYTES {
        return Err(format!("the host is over {MAX_HOST_BYTES} bytes"));
    }
    if let Some(bad) = host.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("the host may not contain {bad:?}"));
    }
    Ok(())
}

/// The profiles' names, for a message about one that is not there.
pub(super) fn known_profiles(profiles: &BTreeMap<String, Layer>) -> String {
    if profiles.is_empty() {
        return "it has none".to_owned();
    }
    let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
    format!("it has: {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, String> {
        ConfigFile::parse(Path::new("c.toml"), text).map_err(|error| error.to_string())
    }

    #[test]
    fn every_key_is_read() {
        let file = parse(
            "host = \"chat.example\"\nport = 7000\nname = \"ann\"\ntls = true\ntheme = \"none\"\n\
             default_profile = \"work\"\n\n[profiles.work]\nhost = \"10.0.0.1\"\nport = 7001\n\
             tls = false\ntheme = \"color\"\nname = \"bob\"\n",
        )
        .unwrap();
        assert_eq!(
            file.top,
            Layer {
                host: Some("chat.example".to_owned()),
                port: Some(7000),
                name: Some("ann".to_owned()),
                tls: Some(true),
                theme: Some(ThemeChoice::None),
            }
        );
        assert_eq!(file.default_profile.as_deref(), Some("work"));
        assert_eq!(
            file.profiles["work"],
            Layer {
                host: Some("10.0.0.1".to_owned()),
                port: Some(7001),
                name: Some("bob".to_owned()),
                tls: Some(false),
                theme: Some(ThemeChoice::Color),
            }
        );
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        let file = parse("# nothing yet\n").unwrap();
        assert_eq!(file.top, Layer::default());
        assert!(file.profiles.is_empty());
    }

    #[test]
    fn an_unknown_key_names_its_line_and_column() {
        let error = parse("port = 7000\n  prot = 7001\n").unwrap_err();
        assert!(error.starts_with("c.toml:2:3: "), "{error}");
        assert!(error.contains("prot"), "{error}");
    }

    #[test]
    fn an_unknown_key_in_a_profile_names_its_line() {
        let error = parse("[profiles.a]\nhost = \"x\"\ncolour = \"none\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:3:1: "), "{error}");
        assert!(error.contains("colour"), "{error}");
    }

    #[test]
    fn a_wrong_type_names_its_line() {
        let error = parse("\n\ntls = \"yes\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:3:7: "), "{error}");
        let error = parse("port = \"7000\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:8: "), "{error}");
    }

    #[test]
    fn a_port_out_of_range_is_refused() {
        for port in ["0", "65536", "-1", "99999999999"] {
            let error = parse(&format!("\nport = {port}\n")).unwrap_err();
            assert!(error.starts_with("c.toml:2:8: "), "{error}");
            assert!(error.contains(port), "{error}");
        }
    }

    #[test]
    fn an_invalid_name_says_why_where() {
        let error = parse("[profiles.x]\nname = \"has space\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:2:8: invalid name"), "{error}");
        let error = parse("name = \"\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:8: invalid name"), "{error}");
    }

    #[test]
    fn a_name_is_stored_normalized() {
        let file = parse("name = \"Cafe\u{301}\"\n").unwrap();
        assert_eq!(file.top.name.as_deref(), Some("Caf\u{e9}"));
    }

    #[test]
    fn a_hostile_host_is_refused() {
        let error = parse("host = \"a b\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:8: "), "{error}");
        let error = parse("host = \"evil\\u001b[2J\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:8: "), "{error}");
        assert!(!error.contains('\u{1b}'), "{error:?}");
        let error = parse("host = \"\"\n").unwrap_err();
        assert!(error.contains("empty"), "{error}");
    }

    #[test]
    fn an_unknown_theme_is_refused() {
        let error = parse("theme = \"rainbow\"\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:9: "), "{error}");
        assert!(error.contains("rainbow"), "{error}");
    }

    #[test]
    fn a_default_profile_must_exist() {
        let error = parse("default_profile = \"home\"\n[profiles.work]\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:19: "), "{error}");
        assert!(error.contains("it has: work"), "{error}");
    }

    #[test]
    fn broken_toml_names_its_line() {
        let error = parse("port = 1\n[profiles.a\n").unwrap_err();
        assert!(error.starts_with("c.toml:2:"), "{error}");
        let error = parse("port = 1\nport = 2\n").unwrap_err();
        assert!(error.starts_with("c.toml:2:"), "{error}");
    }

    #[test]
    fn a_column_counts_characters_not_bytes() {
        let error = parse("# é\nname = \"ééé\" ; \n").unwrap_err();
        assert!(error.starts_with("c.toml:2:"), "{error}");
        let error = parse("host = \"é\"; tls = 1\n").unwrap_err();
        assert!(error.starts_with("c.toml:1:11: "), "{error}");
    }
}
