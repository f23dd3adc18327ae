//! Which network a connection's address counts as, for the per-address limits.
//!
//! Limits per address are only as good as the notion of "one address": an IPv4 client
//! reaching a dual-stack listener shows up as `::ffff:a.b.c.d`, and one IPv6 host
//! usually holds a whole /64, from which it can pick a new address for every connection.
//! So an address is first made canonical, then an IPv6 address is widened to its
//! network (`--ipv6-prefix`, /64 by default). Networks the operator trusts (`--exempt`)
//! are not limited at all: no address is exempt by default, loopback included.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::config::Config;

/// How addresses are grouped and which are exempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressPolicy {
    /// Networks exempt from the per-address limits.
    exempt: Vec<IpNet>,
    /// Prefix length that makes one IPv6 "address".
    ipv6_prefix: u8,
}

impl AddressPolicy {
    /// The policy the flags describe.
    pub fn new(config: &Config) -> Self {
        Self {
            exempt: config.exempt.clone(),
            ipv6_prefix: config.ipv6_prefix,
        }
    }

    /// The network `ip` counts as for the per-address limits, or `None` when it is
    /// exempt from them.
    pub fn group(&self, ip: IpAddr) -> Option<IpNet> {
        let ip = ip.to_canonical();
        if self.exempt.iter().any(|net| net.contains(&ip)) {
            return None;
        }
        Some(match ip {
            IpAddr::V4(v4) => IpNet::V4(Ipv4Net::from(v4)),
            IpAddr::V6(v6) => IpNet::V6(
                Ipv6Net::new(v6, self.ipv6_prefix)
                    .expect("the prefix length is validated by the flag")
                    .trunc(),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(exempt: &[&str], ipv6_prefix: u8) -> AddressPolicy {
        AddressPolicy {
            exempt: exempt.iter().map(|net| net.parse().unwrap()).collect(),
            ipv6_prefix,
        }
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn net(text: &str) -> Option<IpNet> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn nothing_is_exempt_by_default_not_even_loopback() {
        let policy = policy(&[], 64);
        assert_eq!(policy.group(ip("127.0.0.1")), net("127.0.0.1/32"));
        assert_eq!(policy.group(ip("::1")), net("::/64"));
    }

    #[test]
    fn an_ipv4_mapped_address_is_the_ipv4_address_it_carries() {
        let policy = policy(&["127.0.0.0/8"], 64);
        assert_eq!(policy.group(ip("::ffff:127.0.0.1")), None);
        assert_eq!(
            policy.group(ip("::ffff:203.0.113.7")),
            policy.group(ip("203.0.113.7"))
        );
        assert_eq!(
            policy.group(ip("::ffff:203.0.113.7")),
            net("203.0.113.7/32")
        );
    }

    #[test]
    fn ipv6_addresses_count_per_network_of_the_configured_prefix() {
        let per_64 = policy(&[], 64);
        assert_eq!(
            per_64.group(ip("2001:db8:1:2::1")),
            per_64.group(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        );
        assert_ne!(
            per_64.group(ip("2001:db8:1:2::1")),
            per_64.group(ip("2001:db8:1:3::1"))
        );
        let per_48 = policy(&[], 48);
        assert_eq!(per_48.group(ip("2001:db8:1:3::1")), net("2001:db8:1::/48"));
        let per_128 = policy(&[], 128);
        assert_ne!(
            per_128.group(ip("2001:db8::1")),
            per_128.group(ip("2001:db8::2"))
        );
    }

    #[test]
    fn exempt_networks_are_not_limited() {
        let policy = policy(&["10.0.0.0/8", "2001:db8::/32"], 64);
        assert_eq!(policy.group(ip("10.1.2.3")), None);
        assert_eq!(policy.group(ip("2001:db8:ffff::1")), None);
        assert_eq!(policy.group(ip("11.0.0.1")), net("11.0.0.1/32"));
    }
}
