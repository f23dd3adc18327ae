//! Scenario 11, name races: thirty clients of both modes claim the same name at the same
//! moment, spelled in different cases. Exactly one wins; every other one is told the name
//! is taken and joins on its next try. The same holds for renames.

use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::thread;

use chat_shared::frame::{ClientFrame, ErrorCode, ServerFrame};
use chat_shared::name::name_key;

use crate::member::Speaks;
use crate::support::{Plain, Structured, start_server};
use crate::usable::assert_still_usable;

/// Clients racing for each name.
const CONTENDERS: usize = 30;

/// Names raced for, one after the other.
const ROUNDS: usize = 5;

/// A client that has not joined yet, in either mode.
enum Contender {
    Plain(Plain),
    Structured(Structured),
}

impl Contender {
    fn connect(addr: SocketAddr, speaks: Speaks) -> Self {
        match speaks {
            Speaks::Plain => Contender::Plain(Plain::connect(addr)),
            Speaks::Structured => Contender::Structured(Structured::connect(addr)),
        }
    }

    /// Claims `name`: true when welcomed, false when told it is taken; anything else
    /// fails the test.
    fn claim(&mut self, name: &str) -> bool {
        match self {
            Contender::Plain(plain) => {
                plain.say(name);
                let line = plain
                    .0
                    .expect_line(|l| l.starts_with("* Welcome,") || l.starts_with('!'));
                if line.starts_with("* Welcome,") {
                    return true;
                }
                assert_eq!(line, format!("! The name \"{name}\" is taken"));
                plain
                    .0
                    .expect_line(|l| l.starts_with("* Choose a username"));
                false
            }
            Contender::Structured(structured) => {
                structured.send(&ClientFrame::Login {
                    password: None,
                    after: None,
                    name: name.into(),
                });
                match structured.next_frame() {
                    Some(ServerFrame::Welcome { name: got, .. }) => {
                        assert_eq!(got, name);
                        true
                    }
                    Some(ServerFrame::NameRejected { code, .. }) => {
                        assert_eq!(code, ErrorCode::NameTaken, "{name}");
                        false
                    }
                    other => panic!("{name}: {other:?}"),
                }
            }
        }
    }

    /// Renames from `own` to `name`: true when renamed, false when told it is taken.
    fn rename(&mut self, own: &str, name: &str) -> bool {
        match self {
            Contender::Plain(plain) => {
                plain.say(&format!("/nick {name}"));
                let mine = format!("] -!- {own} is now known as ");
                let line = plain
                    .0
                    .expect_line(|l| l.contains(&mine) || l.starts_with('!'));
                if line.contains(&mine) {
                    return true;
                }
                assert_eq!(line, format!("! The name \"{name}\" is taken"));
                false
            }
            Contender::Structured(structured) => {
                structured.send(&ClientFrame::Nick { name: name.into() });
                match structured.expect(|f| match f {
                    ServerFrame::Renamed { old, .. } => old == own,
                    ServerFrame::NameRejected { .. } => true,
                    _ => false,
                }) {
                    ServerFrame::Renamed { .. } => true,
                    ServerFrame::NameRejected { code, .. } => {
                        assert_eq!(code, ErrorCode::NameTaken, "{name}");
                        false
                    }
                    _ => unreachable!("expect returns what was asked for"),
                }
            }
        }
    }
}

/// The same name as the others see it, spelled differently by each contender: as it is,
/// in capitals, with a capital first, or with every other letter a capital.
fn spelling(name: &str, contender: usize) -> String {
    match contender % 4 {
        0 => name.to_owned(),
        1 => name.to_uppercase(),
        2 => name[..1].to_uppercase() + &name[1..],
        _ => name
            .chars()
            .enumerate()
            .map(|(at, c)| {
                if at % 2 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect(),
    }
}

/// Runs `attempt` on every contender at once (after a barrier) and returns, in order,
/// the contenders with whether each one won.
fn race(
    contenders: Vec<Contender>,
    attempt: impl Fn(&mut Contender, usize) -> bool + Send + Sync + 'static,
) -> Vec<(Contender, bool)> {
    let start = Arc::new(Barrier::new(contenders.len()));
    let attempt = Arc::new(attempt);
    let handles: Vec<_> = contenders
        .into_iter()
        .enumerate()
        .map(|(i, mut contender)| {
            let (start, attempt) = (Arc::clone(&start), Arc::clone(&attempt));
            thread::spawn(move || {
                start.wait();
                let won = attempt(&mut contender, i);
                (contender, won)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn exactly_one_of_many_simultaneous_claims_wins_and_the_others_can_retry() {
    let server = start_server(|_| {});
    let addr = server.local_addr();
    let mut joined = Vec::new();
    for round in 0..ROUNDS {
        let name = format!("racer{round}");
        let contenders = (0..CONTENDERS)
            .map(|i| Contender::connect(addr, Speaks::alternating(i)))
            .collect();
        let results = race(contenders, {
            let name = name.clone();
            move |contender, i| contender.claim(&spelling(&name, i))
        });
        let winners: Vec<usize> = (0..CONTENDERS).filter(|&i| results[i].1).collect();
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
        for (i, (mut contender, won)) in results.into_iter().enumerate() {
            let own = if won {
                spelling(&name, i)
            } else {
                let retry = format!("r{round}_{i}");
                assert!(contender.claim(&retry), "{retry} joins on retry");
                retry
            };
            joined.push((contender, own));
        }
    }

    let (racers, owns): (Vec<Contender>, Vec<String>) = joined
        .split_off(joined.len() - CONTENDERS)
        .into_iter()
        .unzip();
    let owns = Arc::new(owns);
    let results = race(racers, {
        let owns = Arc::clone(&owns);
        move |contender, i| contender.rename(&owns[i], &spelling("champion", i))
    });
    let renamed = results.iter().filter(|(_, won)| *won).count();
    assert_eq!(renamed, 1, "exactly one rename to champion wins");

    let mut online: Vec<String> = joined.iter().map(|(_, own)| own.clone()).collect();
    for (i, (_, won)) in results.iter().enumerate() {
        online.push(if *won {
            spelling("champion", i)
        } else {
            owns[i].clone()
        });
    }
    let keys: std::collections::HashSet<String> = online.iter().map(|n| name_key(n)).collect();
    assert_eq!(keys.len(), online.len(), "every name online is unique");
    let online: Vec<&str> = online.iter().map(String::as_str).collect();
    assert_still_usable(addr, &online);
}
