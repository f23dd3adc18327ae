//! Durations as people type and read them in moderation commands: `90s`, `10m`, `2h`,
//! `1d`, `1w`, or several of them run together (`1h30m`).
//!
//! One word, so that the grammar can tell a duration from the first word of a reason
//! (`/ban bob 2h spamming`). The parser never fails on size: a number too big to hold
//! saturates, and the server refuses a duration over its maximum with a clear message.

use std::time::Duration;

/// Seconds in each unit a duration may be written in.
const UNITS: &[(char, u64)] = &[
    ('w', 7 * 24 * 3600),
    ('d', 24 * 3600),
    ('h', 3600),
    ('m', 60),
    ('s', 1),
];

/// The duration `word` spells (`10m`, `1h30m`), or `None` when it is not one: empty, a
/// number without a unit, an unknown unit, or anything else.
pub fn parse_duration(word: &str) -> Option<Duration> {
    let mut seconds: u64 = 0;
    let mut number: Option<u64> = None;
    for c in word.chars() {
        if let Some(digit) = c.to_digit(10) {
            let so_far = number.unwrap_or(0);
            number = Some(so_far.saturating_mul(10).saturating_add(u64::from(digit)));
        } else {
            let unit = UNITS.iter().find(|(name, _)| *name == c)?.1;
            seconds = seconds.saturating_add(number.take()?.saturating_mul(unit));
        }
    }
    match number {
        None if !word.is_empty() => Some(Duration::from_secs(seconds)),
        _ => None,
    }
}

/// A duration as people read it, in its two largest units: `2h`, `1d 3h`, `9m 30s`
/// (rounded down to the second; under a second is `0s`).
pub fn format_duration(duration: Duration) -> String {
    let mut left = duration.as_secs();
    let mut parts = Vec::new();
    for &(name, unit) in UNITS {
        if left >= unit && parts.len() < 2 {
            parts.push(format!("{}{name}", left / unit));
            left %= unit;
        } else if !parts.is_empty() {
            break;
        }
    }
    if parts.is_empty() {
        "0s".to_owned()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn secs(seconds: u64) -> Option<Duration> {
        Some(Duration::from_secs(seconds))
    }

    #[test]
    fn reads_each_unit_and_units_run_together() {
        assert_eq!(parse_duration("90s"), secs(90));
        assert_eq!(parse_duration("10m"), secs(600));
        assert_eq!(parse_duration("2h"), secs(7200));
        assert_eq!(parse_duration("1d"), secs(86_400));
        assert_eq!(parse_duration("1w"), secs(604_800));
        assert_eq!(parse_duration("1h30m"), secs(5400));
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for word in [
            "", "10", "m", "10x", "ten", "1h30", "-5m", "1.5h", "spam", "10M",
        ] {
            assert_eq!(parse_duration(word), None, "{word:?}");
        }
    }

    #[test]
    fn absurd_sizes_saturate_instead_of_overflowing() {
        let huge = parse_duration("99999999999999999999999w").unwrap();
        assert_eq!(huge, Duration::from_secs(u64::MAX));
    }

    #[test]
    fn formats_in_the_two_largest_units() {
        assert_eq!(format_duration(Duration::from_secs(7200)), "2h");
        assert_eq!(format_duration(Duration::from_secs(97_200)), "1d 3h");
        assert_eq!(format_duration(Duration::from_secs(570)), "9m 30s");
        assert_eq!(format_duration(Duration::from_secs(3601)), "1h");
        assert_eq!(format_duration(Duration::from_millis(500)), "0s");
    }

    proptest! {
        #[test]
        fn what_is_formatted_reads_back_within_its_rounding(seconds in 1u64..400 * 86_400) {
            let written = format_duration(Duration::from_secs(seconds));
            let read: u64 = written
                .split(' ')
                .map(|part| parse_duration(part).unwrap().as_secs())
                .sum();
            prop_assert!(read <= seconds);
            prop_assert!(seconds - read < read, "{} read as {}", seconds, read);
        }
    }
}
