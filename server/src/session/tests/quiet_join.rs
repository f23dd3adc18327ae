//! A quiet newcomer is announced when its delay is over or when it first does something
//! others can see, whichever comes first; one who leaves before either is never
//! announced.

use std::time::Duration;

use super::{End, Next, World};

const DELAY: Duration = Duration::from_secs(5);

fn world() -> World {
    World::new(|c| c.announce_delay = DELAY)
}

#[test]
fn a_quiet_newcomer_is_announced_when_its_delay_is_over() {
    let world = world();
    let alice = world.plain("alice");
    let mut bob = world.connect();
    bob.wait(Duration::from_secs(1));
    bob.send("bob");
    bob.read();
    assert_eq!(alice.read(), Vec::<String>::new(), "not yet");
    let due = bob.now + DELAY;
    assert_eq!(bob.session.next_deadline(), Some(due));

    bob.tick(due - Duration::from_millis(1));
    assert_eq!(alice.read(), Vec::<String>::new());
    assert_eq!(bob.tick(due), Next::Read);
    let told = alice.read();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].ends_with("-!- bob joined"), "{told:?}");
    assert_eq!(bob.session.next_deadline(), None, "announced once");
}

#[test]
fn a_quiet_newcomer_who_speaks_is_announced_first_and_only_once() {
    let world = world();
    let alice = world.plain("alice");
    let mut bob = world.plain("bob");
    bob.send("hello");
    let told = alice.read();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told[0].ends_with("-!- bob joined"), "{told:?}");
    assert!(told[1].ends_with("<bob> hello"), "{told:?}");
    bob.tick(bob.now + DELAY);
    assert_eq!(alice.read(), Vec::<String>::new());
}

#[test]
fn a_quiet_newcomer_who_leaves_at_once_is_never_announced() {
    let world = world();
    let mut alice = world.plain("alice");
    let mut bob = world.plain("bob");
    assert_eq!(
        bob.send("/quit bye"),
        Next::Close(End::Quit(Some("bye".into())))
    );
    bob.finish(&End::Quit(Some("bye".into())));
    assert_eq!(bob.read(), ["* Bye!"]);
    assert_eq!(alice.read(), Vec::<String>::new());
    alice.send("/who");
    assert_eq!(alice.read(), ["* In #general (1): alice"]);
}
