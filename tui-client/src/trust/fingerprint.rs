//! A certificate's SHA-256 fingerprint: the digest of its DER bytes, written as
//! uppercase hex pairs joined by `:` (as chat-server logs its own), so that a person can
//! compare the two by eye.

use std::fmt;
use std::str::FromStr;

use ring::digest::{SHA256, SHA256_OUTPUT_LEN, digest};

/// The SHA-256 digest of a certificate's DER encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; SHA256_OUTPUT_LEN]);

impl Fingerprint {
    /// The fingerprint of a certificate, given its DER bytes.
    pub fn of(der: &[u8]) -> Self {
        let mut bytes = [0; SHA256_OUTPUT_LEN];
        bytes.copy_from_slice(digest(&SHA256, der).as_ref());
        Self(bytes)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, byte) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Why a text is not a fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 fingerprint (32 hex pairs joined by ':')")]
pub struct NotAFingerprint;

impl FromStr for Fingerprint {
    type Err = NotAFingerprint;

    /// Reads 32 pairs of hex digits (either case) joined by `:`, and nothing else.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0; SHA256_OUTPUT_LEN];
        let mut pairs = text.split(':');
        for byte in &mut bytes {
            let pair = pairs.next().ok_or(NotAFingerprint)?;
            if pair.len() != 2 || !pair.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(NotAFingerprint);
            }
            *byte = u8::from_str_radix(pair, 16).map_err(|_| NotAFingerprint)?;
        }
        match pairs.next() {
            None => Ok(Self(bytes)),
            Some(_) => Err(NotAFingerprint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of the empty input, a published test vector.
    const EMPTY: &str = "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:\
                         27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55";

    #[test]
    fn it_is_the_sha256_of_the_bytes_in_uppercase_pairs() {
        assert_eq!(Fingerprint::of(b"").to_string(), EMPTY);
    }

    #[test]
    fn it_reads_back_what_it_writes_in_either_case() {
        let fingerprint = Fingerprint::of(b"certificate");
        assert_eq!(fingerprint.to_string().parse(), Ok(fingerprint));
        assert_eq!(
            fingerprint.to_string().to_lowercase().parse(),
            Ok(fingerprint)
        );
    }

    #[test]
    fn anything_else_is_refused() {
        let short = &EMPTY[..EMPTY.len() - 3];
        for bad in [
            "",
            short,
            &format!("{EMPTY}:00"),
            &format!("{EMPTY}:"),
            &EMPTY.replace(':', ""),
            &EMPTY.replacen("E3", "G3", 1),
            &EMPTY.replacen("E3", "+3", 1),
            &EMPTY.replacen("E3:", "E:3", 1),
            &EMPTY.replacen(':', "-", 1),
        ] {
            assert_eq!(bad.parse::<Fingerprint>(), Err(NotAFingerprint), "{bad}");
        }
    }
}
