//! The hostile-client suite: each scenario is one misbehaving client (or crowd) against
//! the real server over loopback, asserting what the well-behaved clients observe and
//! that the server is still fully usable afterwards.
//!
//! 1. [`never_reading`]: a client that never reads. 2. [`slowloris`]: silent and
//!    dripping connections. 3. [`oversized`]: endless and maximum-length lines, and the
//!    server's memory. 4. [`bad_bytes`]: invalid UTF-8, controls, escapes, bidi and
//!    invisible characters. 5. [`flood`]: clients sending as fast as they can.
//!    6. [`churn`]: thousands of abrupt connections, and the server's threads and
//!    descriptors. 7. [`half_open`]: a peer that stops answering pings. 8. [`max_clients`]:
//!    the connection cap. 9. [`shutdown`]: SIGTERM. 10. [`no_loss`]: many clients,
//!    every message once, one order. 11. [`name_races`]: many clients claiming one name.
//!    12. [`deep_nesting`]: frames nested thousands of levels deep. 13. [`silent_share`]:
//!    hundreds of silent connections against one real user. 14. [`address_limits`]: one
//!    address cycling connections, messages and quits. 15. [`lookalike_names`]: names
//!    that look like a name online, or a reserved one. 16. [`store_faults`]: a garbage
//!    database, an unwritable data directory, and `kill -9` during a burst.
//!    17. [`accounts`]: password guessing, passwords over plain TCP, hostile passwords,
//!    and registered names and their look-alikes. 18. [`moderation`]: an operator's
//!    hostile arguments, non-operators flooding operator frames, and a banned host
//!    hammering the door.

mod accounts;
mod address_limits;
mod bad_bytes;
mod churn;
mod deep_nesting;
mod flood;
mod half_open;
mod lookalike_names;
mod max_clients;
mod member;
mod moderation;
mod name_races;
mod never_reading;
mod no_loss;
mod oversized;
// Shared with the integration tests; each crate uses only part of it.
mod shutdown;
mod silent_share;
mod slowloris;
mod store_faults;
#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod support;
mod usable;
