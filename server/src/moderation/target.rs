//! What a ban is on: a name (with its look-alikes), or an address or network.
//!
//! An operator types the target; the server decides which it is. An address is a
//! network of one (`/32`, `/128`); an IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is
//! the IPv4 address, as connections from a dual-stack listener are. A network wider than
//! [`MIN_PREFIX_V4`] or [`MIN_PREFIX_V6`] is refused: one typo would lock out a whole
//! country, or everyone.

use std::fmt;
use std::net::IpAddr;

use chat_shared::name::{NameClaim, name_claims, name_key, validate_name};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The widest IPv4 network a ban may cover (a /8).
pub const MIN_PREFIX_V4: u8 = 8;

/// The widest IPv6 network a ban may cover (a /32, an internet provider's usual share).
pub const MIN_PREFIX_V6: u8 = 32;

/// A ban's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A name as written (NFC), and the claims that make its look-alikes match too.
    Name {
        /// The name.
        name: String,
        /// The look-alike claims (see [`name_claims`]) of the name as written, in small
        /// letters and in capitals: `Mallory` also covers `maIlory`, whose capital I
        /// looks like the l of `mallory`.
        claims: Vec<NameClaim>,
    },
    /// An address or network, truncated to its prefix.
    Net(IpNet),
}

impl Target {
    /// The target `text` names: an address, a network in CIDR notation, or a name; or
    /// why it is none of them.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Target::Net(IpNet::from(ip.to_canonical())));
        }
        if let Ok(net) = text.parse::<IpNet>() {
            return network(net);
        }
        let looks_numeric = text.chars().all(|c| c.is_ascii_digit() || c == '.');
        if text.contains('/') || text.contains(':') || looks_numeric {
            return Err(format!(
                "{} is not an address or a network such as 203.0.113.0/24",
                shown_input(text)
            ));
        }
        let name = validate_name(text).map_err(|reason| {
            format!(
                "{} is not a name, an address or a network: {reason}",
                shown_input(text)
            )
        })?;
        Ok(Self::name(name))
    }

    /// The target of a ban on `name`, already validated.
    pub fn name(name: String) -> Self {
        let mut claims: Vec<NameClaim> = [name.clone(), name.to_lowercase(), name.to_uppercase()]
            .iter()
            .flat_map(|spelling| name_claims(spelling))
            .collect();
        claims.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        claims.dedup();
        Target::Name { name, claims }
    }

    /// The key under which the ban is kept: two spellings of one target (`Bob` and
    /// `bob`, `10.0.0.7` and `10.0.0.7/32`) are one ban.
    pub fn key(&self) -> String {
        match self {
            Target::Name { name, .. } => format!("name:{}", name_key(name)),
            Target::Net(net) => format!("net:{net}"),
        }
    }

    /// Whether a connection from `ip` is banned by this target.
    pub fn covers_ip(&self, ip: IpAddr) -> bool {
        match self {
            Target::Net(net) => net.contains(&ip.to_canonical()),
            Target::Name { .. } => false,
        }
    }

    /// Whether `claims` (of a name logging in or online) match this target: the name
    /// itself in any case, or a look-alike.
    pub fn covers_name(&self, claims: &[NameClaim; 2]) -> bool {
        match self {
            Target::Name { claims: banned, .. } => claims.iter().any(|c| banned.contains(c)),
            Target::Net(_) => false,
        }
    }
}

/// A network as a ban target: truncated to its prefix, and not too wide.
fn network(net: IpNet) -> Result<Target, String> {
    let net = match net {
        IpNet::V6(v6) => match v6.addr().to_ipv4_mapped() {
            Some(v4) => IpNet::V4(
                Ipv4Net::new(v4, v6.prefix_len().saturating_sub(96))
                    .expect("a prefix under 32 after taking 96 away"),
            ),
            None => IpNet::V6(Ipv6Net::new(v6.addr(), v6.prefix_len()).expect("same prefix")),
        },
        v4 => v4,
    }
    .trunc();
    let min = match net {
        IpNet::V4(_) => MIN_PREFIX_V4,
        IpNet::V6(_) => MIN_PREFIX_V6,
    };
    if net.prefix_len() < min {
        return Err(format!(
            "{net} is too wide to ban; the widest is /{min} (a ban this wide would lock out \
             far more people than one network)"
        ));
    }
    Ok(Target::Net(net))
}

/// A hostile input shown back on one short line.
fn shown_input(text: &str) -> String {
    let line = chat_shared::text::sanitize_line(text);
    format!("\"{}\"", chat_shared::text::shorten(&line, 64))
}

/// As people read it: the name, a lone address without its `/32` or `/128`, or a
/// network in CIDR notation.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Name { name, .. } => f.write_str(name),
            Target::Net(net) if net.prefix_len() == net.max_prefix_len() => {
                write!(f, "{}", net.addr())
            }
            Target::Net(net) => write!(f, "{net}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn target(text: &str) -> Target {
        Target::parse(text).unwrap()
    }

    #[test]
    fn tells_addresses_networks_and_names_apart() {
        assert_eq!(
            target("203.0.113.7"),
            Target::Net("203.0.113.7/32".parse().unwrap())
        );
        assert_eq!(
            target("2001:db8::1"),
            Target::Net("2001:db8::1/128".parse().unwrap())
        );
        assert_eq!(
            target("10.1.2.3/8"),
            Target::Net("10.0.0.0/8".parse().unwrap())
        );
        assert!(matches!(target("Bob"), Target::Name { name, .. } if name == "Bob"));
        assert_eq!(target("Bob").key(), target("bob").key());
        assert_eq!(target("10.0.0.7").key(), target("10.0.0.7/32").key());
        assert_eq!(target("10.0.0.7").to_string(), "10.0.0.7");
        assert_eq!(target("10.0.0.0/24").to_string(), "10.0.0.0/24");
    }

    #[test]
    fn an_ipv4_address_written_as_ipv6_is_the_ipv4_address() {
        assert_eq!(target("::ffff:203.0.113.7"), target("203.0.113.7"));
        assert_eq!(target("::ffff:203.0.113.0/120"), target("203.0.113.0/24"));
        assert!(target("203.0.113.7").covers_ip(ip("::ffff:203.0.113.7")));
    }

    #[test]
    fn networks_cover_their_addresses_only_in_ipv4_and_ipv6() {
        let v4 = target("192.0.2.0/24");
        assert!(v4.covers_ip(ip("192.0.2.255")));
        assert!(!v4.covers_ip(ip("192.0.3.0")));
        let v6 = target("2001:db8:1::/48");
        assert!(v6.covers_ip(ip("2001:db8:1:ffff::1")));
        assert!(!v6.covers_ip(ip("2001:db8:2::1")));
        let one = target("127.0.0.1");
        assert!(one.covers_ip(ip("127.0.0.1")));
        assert!(!one.covers_ip(ip("127.0.0.2")));
        assert!(!target("bob").covers_ip(ip("127.0.0.1")));
    }

    #[test]
    fn a_name_ban_covers_its_look_alikes_in_any_case() {
        let ban = target("alice");
        assert!(ban.covers_name(&name_claims("ALICE")));
        assert!(ban.covers_name(&name_claims("aIice")));
        assert!(target("Mallory").covers_name(&name_claims("maIlory")));
        assert!(target("MALLORY").covers_name(&name_claims("mallory")));
        assert!(!ban.covers_name(&name_claims("alicia")));
    }

    #[test]
    fn refuses_hostile_and_malformed_targets_with_a_reason() {
        assert!(
            Target::parse("300.1.2.3")
                .unwrap_err()
                .contains("not an address"),
            "a mistyped address is not taken for a name"
        );
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/-1",
            "300.1.2.3",
            "1.2.3.4/",
            "::/129",
            "not a name",
            "",
            "\u{1b}[31mred",
        ] {
            let error = Target::parse(bad).unwrap_err();
            assert!(!error.contains('\u{1b}'), "{error:?}");
        }
        assert!(Target::parse("0.0.0.0/0").unwrap_err().contains("too wide"));
        assert!(Target::parse("::/0").unwrap_err().contains("too wide"));
        assert!(Target::parse("10.0.0.0/7").is_err());
        assert!(Target::parse("2001::/31").is_err());
        assert!(Target::parse(&"x".repeat(10_000)).unwrap_err().len() < 300);
    }
}
