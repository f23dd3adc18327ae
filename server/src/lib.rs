//! `chat-server`: a lock-based, thread-per-client TCP chat server.
//!
//! How a message flows, and which module does what:
//!
//! - [`listener`]: the accept loop. Admits a connection through [`connections`] (caps in
//!   total, per address and for silent connections; connection rate per [`address`]) and
//!   starts one thread for it.
//! - [`session`]: that thread, in two parts, after it has told TLS from cleartext by
//!   the first byte ([`tls`]). A state machine without sockets owns the
//!   protocol: it picks the session mode from the first line ([`plain`] for people with
//!   `nc`, [`structured`] for programs), runs the handshake, the keepalive and the flood
//!   control's decisions ([`flood`], one budget per address), announces a quiet newcomer
//!   when its delay is over, and turns lines into [`request`]s carried out against the
//!   room. A thin socket loop feeds it: it reads capped lines with the machine's next
//!   deadline as the read timeout, performs flood control's waits, and drains the
//!   goodbye.
//! - [`room`]: the one lock. Names, members and the numbered stream of room events; a
//!   broadcast encodes each event once per [`mode`] and copies it into every receiver's
//!   [`outbox`], then sends after releasing the lock. The room and the connection table
//!   reach a receiver only through the small [`deliver`] trait, so that tests can run
//!   them without sockets.
//! - [`outbox`]: a bounded send queue per client, drained by non-blocking writes from
//!   whichever thread broadcast; [`flusher`]: one thread that finishes sends to sockets
//!   that were full. Slow readers cost no thread and delay nobody. A TLS connection's
//!   rustls session lives in its outbox: frames are encrypted when sent, and the
//!   session's reads are decrypted there too.
//! - [`tls`]: the certificate, and telling a TLS client (first byte `0x16`) from a
//!   cleartext one on the same port.
//! - [`accounts`]: registered names, their argon2id hashes and the throttling of wrong
//!   passwords; a session checks them on its own thread, outside the room lock.
//!   [`admin`]: offline commands on the data directory (`chat-server accounts list`,
//!   `chat-server bans list`).
//! - [`server`]: starting and the graceful shutdown; [`shutdown`]: the one signal every
//!   thread observes (it begins: nobody is admitted, every session says goodbye; it
//!   finishes: the flusher ends); `shared_state`: what the threads share (the room, the
//!   connection table, the limits); [`config`]: every limit; [`capacity`]: how many
//!   connections this machine can hold.
//! - [`moderation`]: operators, and the kicks, mutes and bans they hand out; bans are
//!   checked at the door (the listener) and at login, mutes under the room lock. A kick
//!   or a ban marks the connection in the connection table and hangs it up; its own
//!   session then leaves, telling its rooms why.
//!
//! Lock order: room → outbox queue → flusher registry, and room → the history store's
//! maps (`History::append`, and `History::room_cursor` for a key already read: each
//! takes a map lock for a few operations and never waits for the disk; the store's
//! writer thread does the writing). The connection table's lock, the bans' list, an
//! address's flood bucket and the shutdown signal's locks are each taken alone (the
//! shutdown wakes threads after releasing its own). So are the accounts' locks, always
//! outside the room lock: the SQLite accounts' connection (held for one statement or a
//! short transaction, which may wait for the disk), each map of the login throttle, and
//! the hasher's count of running hashes (never held while hashing). So is the bans'
//! SQLite connection (one statement per ban or lift, from the operator's session
//! thread). No lock is ever held across a blocking call other than those store
//! statements; a session holds none while it waits.
//!
//! TLS adds no lock: each connection's rustls session is guarded by its outbox queue's
//! lock. Under the room lock a broadcast only copies plaintext into each queue; the
//! encryption happens in the send that follows, after the room lock is released, under
//! each receiver's queue lock alone (taken by the broadcasting thread, the flusher or
//! the session's own thread, one queue at a time). The session's thread reads
//! ciphertext from the socket holding no lock, then takes its own queue lock to
//! decrypt it (one read's worth, 4 KiB) and to send what rustls answers, without
//! blocking. A broadcast that copies into a queue whose lock is held for encryption
//! waits for it under the room lock: at most one queue's worth (`--send-queue-bytes`),
//! a fraction of a millisecond, the same order as the send the lock already covers.

pub mod accounts;
pub mod address;
pub mod admin;
pub mod capacity;
pub mod config;
pub mod connections;
pub mod deliver;
pub mod flood;
pub mod flusher;
pub mod listener;
pub mod mode;
pub mod moderation;
pub mod outbox;
pub mod plain;
pub mod request;
pub mod room;
pub mod server;
pub mod session;
mod shared_state;
pub mod shutdown;
pub mod store;
pub mod structured;
pub mod tls;

pub use config::Config;
pub use server::Server;
