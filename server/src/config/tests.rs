//! The flags: their documented defaults, and what each refuses.

use super::*;

#[test]
fn operators_are_valid_names_given_one_flag_each() {
    let config =
        Config::try_parse_from(["chat-server", "--operator", "alice", "--operator", "Bob"])
            .unwrap();
    assert_eq!(config.operators, ["alice", "Bob"]);
    assert!(Config::default().operators.is_empty(), "none by default");
    for bad in ["not a name", "", "admin"] {
        assert!(
            Config::try_parse_from(["chat-server", "--operator", bad]).is_err(),
            "{bad:?}"
        );
    }
    let config = Config::try_parse_from(["chat-server", "bans", "delete", "10.0.0.0/8"]).unwrap();
    assert_eq!(
        config.command,
        Some(crate::admin::Command::Bans(
            crate::admin::BansCommand::Delete {
                target: "10.0.0.0/8".into()
            }
        ))
    );
}

#[test]
fn offline_commands_parse_beside_the_port_which_keeps_working() {
    use crate::admin::{AccountsCommand, Command};
    let config = Config::try_parse_from(["chat-server", "9999"]).unwrap();
    assert_eq!((config.port, config.command), (9999, None));
    let config = Config::try_parse_from([
        "chat-server",
        "accounts",
        "delete",
        "bob",
        "--data-dir",
        "/srv/chat",
    ])
    .unwrap();
    assert_eq!(
        config.command,
        Some(Command::Accounts(AccountsCommand::Delete {
            name: "bob".into()
        }))
    );
    assert_eq!(config.data_dir, Some(PathBuf::from("/srv/chat")));
    let config =
        Config::try_parse_from(["chat-server", "--data-dir", "/d", "accounts", "list"]).unwrap();
    assert_eq!(
        config.command,
        Some(Command::Accounts(AccountsCommand::List))
    );
    assert!(Config::try_parse_from(["chat-server", "accounts", "delete"]).is_err());
}

#[test]
fn defaults_match_the_documented_values() {
    let config = Config::default();
    assert_eq!(config.port, 9999);
    assert_eq!(config.bind, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    assert_eq!(config.max_line_bytes, 8192);
    assert_eq!(config.send_queue_bytes, 262_144);
    assert_eq!(config.socket_buffer_bytes, 65_536);
    assert_eq!(config.handshake_timeout, Duration::from_secs(30));
    assert_eq!(config.busy_handshake_timeout, Duration::from_secs(5));
    assert_eq!(config.ping_interval, Duration::from_secs(90));
    assert_eq!(config.flood_rate, 2.0);
    assert_eq!(config.unjoined_percent, 25);
    assert_eq!((config.connect_burst, config.connect_rate), (10, 12.0));
    assert_eq!(config.ipv6_prefix, 64);
    assert_eq!(config.announce_delay, Duration::from_secs(5));
    assert!(config.exempt.is_empty(), "no address is exempt by default");
    assert_eq!(config.default_room, "#general");
    assert_eq!((config.max_rooms_per_user, config.max_rooms), (32, 1000));
    assert_eq!(config.max_topic_chars, 300);
    assert_eq!(config.presence_summary_above, 100);
    assert_eq!(config.tls_detect_wait, Duration::from_millis(500));
    assert!(!config.require_tls, "cleartext is served by default");
    assert_eq!((config.tls_cert, config.tls_key), (None, None));
}

#[test]
fn a_tls_certificate_needs_its_key_and_the_other_way_round() {
    assert!(Config::try_parse_from(["chat-server", "--tls-cert", "c.pem"]).is_err());
    assert!(Config::try_parse_from(["chat-server", "--tls-key", "k.pem"]).is_err());
    let config = Config::try_parse_from([
        "chat-server",
        "--tls-cert",
        "c.pem",
        "--tls-key",
        "k.pem",
        "--require-tls",
        "--tls-detect-wait",
        "0s",
    ])
    .unwrap();
    assert_eq!(config.tls_cert, Some(PathBuf::from("c.pem")));
    assert!(config.require_tls);
    assert_eq!(config.tls_detect_wait, Duration::ZERO);
}

#[test]
fn every_limit_is_a_flag() {
    let config = Config::try_parse_from([
        "chat-server",
        "4000",
        "--bind",
        "127.0.0.1",
        "--max-clients",
        "5",
        "--unjoined-percent",
        "50",
        "--max-per-ip",
        "2",
        "--connect-burst",
        "4",
        "--connect-rate",
        "0",
        "--ipv6-prefix",
        "56",
        "--exempt",
        "10.0.0.0/8",
        "--exempt",
        "::1",
        "--max-line-bytes",
        "100",
        "--send-queue-bytes",
        "1000",
        "--socket-buffer-bytes",
        "8192",
        "--handshake-timeout",
        "500ms",
        "--busy-handshake-timeout",
        "100ms",
        "--ping-interval",
        "2s",
        "--ping-timeout",
        "1s",
        "--flood-burst",
        "3",
        "--flood-rate",
        "0",
        "--announce-delay",
        "0s",
        "--shutdown-grace",
        "1s",
    ])
    .unwrap();
    assert_eq!(config.port, 4000);
    assert_eq!(config.max_clients, 5);
    assert_eq!(config.handshake_timeout, Duration::from_millis(500));
    assert_eq!(config.flood_rate, 0.0);
    assert_eq!(config.connect_rate, 0.0);
    assert_eq!(config.announce_delay, Duration::ZERO);
    assert_eq!(
        config.exempt,
        [
            "10.0.0.0/8".parse::<IpNet>().unwrap(),
            "::1/128".parse().unwrap()
        ]
    );
}

#[test]
fn rejects_a_rate_that_is_negative_not_a_number_or_too_slow() {
    for rate in ["-1", "NaN", "inf", "1e-20", "fast"] {
        for flag in ["--flood-rate", "--connect-rate"] {
            assert!(
                Config::try_parse_from(["chat-server", flag, rate]).is_err(),
                "{flag} {rate}"
            );
        }
    }
    assert!(Config::try_parse_from(["chat-server", "--flood-rate", "0.5"]).is_ok());
}

#[test]
fn rejects_a_bad_zero_or_huge_duration_with_a_reason() {
    assert!(Config::try_parse_from(["chat-server", "--ping-interval", "soon"]).is_err());
    assert!(Config::try_parse_from(["chat-server", "--ping-interval", "0s"]).is_err());
    for flag in [
        "--handshake-timeout",
        "--shutdown-grace",
        "--announce-delay",
        "--ping-timeout",
    ] {
        let error = Config::try_parse_from(["chat-server", flag, "500000000years"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("too long"), "{flag}: {error}");
    }
    assert!(Config::try_parse_from(["chat-server", "--shutdown-grace", "24h"]).is_ok());
}

#[test]
fn rejects_bad_networks_and_buffer_sizes() {
    for network in ["10.0.0.0/33", "everyone", "10.0.0"] {
        assert!(
            Config::try_parse_from(["chat-server", "--exempt", network]).is_err(),
            "{network}"
        );
    }
    let config = Config::try_parse_from(["chat-server", "--exempt", "10.1.2.3/8"]).unwrap();
    assert_eq!(config.exempt, ["10.0.0.0/8".parse::<IpNet>().unwrap()]);
    for size in ["0", "100", "1000000000"] {
        assert!(Config::try_parse_from(["chat-server", "--socket-buffer-bytes", size]).is_err());
    }
    assert!(Config::try_parse_from(["chat-server", "--unjoined-percent", "0"]).is_err());
    for room in ["general", "#a b", "#"] {
        assert!(
            Config::try_parse_from(["chat-server", "--default-room", room]).is_err(),
            "{room}"
        );
    }
    assert!(Config::try_parse_from(["chat-server", "--default-room", "#lobby"]).is_ok());
}
