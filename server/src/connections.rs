//! The table of live connections: enforces the connection caps and stops everyone at
//! shutdown.
//!
//! Its lock is never held together with the room lock or an outbox lock.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chat_shared::frame::ErrorCode;

use crate::outbox::Outbox;

/// Every connection the server holds, with the limits on how many it may hold.
#[derive(Debug)]
pub struct Connections {
    /// Most connections in all.
    max_total: usize,
    /// Most connections per address, loopback exempt.
    max_per_ip: usize,
    /// The live connections; the condition variable is signalled whenever one ends.
    table: Mutex<Table>,
    /// Signalled when a connection leaves the table.
    departed: Condvar,
}

#[derive(Debug, Default)]
struct Table {
    live: HashMap<usize, (IpAddr, Arc<Outbox>)>,
    per_ip: HashMap<IpAddr, usize>,
    /// Set at shutdown: no connection is admitted after it.
    closed: bool,
}

/// Why a connection is turned away at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds as many connections as it may.
    ServerFull(usize),
    /// This address holds as many connections as it may.
    TooManyFromAddress(IpAddr, usize),
    /// The server is stopping.
    ShuttingDown,
}

impl Refusal {
    /// The one line sent before closing: `ERROR <code>: <reason>`, readable by a person
    /// and parseable by a program (the session mode is not known yet).
    pub fn line(&self) -> String {
        let (code, reason) = match self {
            Refusal::ServerFull(max) => (
                ErrorCode::ServerFull,
                format!("the server is full ({max} connections); try again later"),
            ),
            Refusal::TooManyFromAddress(ip, max) => (
                ErrorCode::TooManyConnections,
                format!("too many connections from {ip} (limit {max})"),
            ),
            Refusal::ShuttingDown => (
                ErrorCode::ShuttingDown,
                "the server is shutting down".to_owned(),
            ),
        };
        format!("ERROR {}: {reason}\r\n", code.as_str())
    }
}

/// Proof that a connection was admitted; dropping it removes the connection.
#[derive(Debug)]
pub struct Permit {
    connections: Arc<Connections>,
    id: usize,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.connections.remove(self.id);
    }
}

impl Connections {
    /// An empty table that admits at most `max_total` connections, `max_per_ip` per
    /// address other than loopback.
    pub fn new(max_total: usize, max_per_ip: usize) -> Self {
        Self {
            max_total,
            max_per_ip,
            table: Mutex::new(Table::default()),
            departed: Condvar::new(),
        }
    }

    /// Admits connection `id` from `ip`, or says why not.
    pub fn admit(
        self: &Arc<Self>,
        id: usize,
        ip: IpAddr,
        outbox: &Arc<Outbox>,
    ) -> Result<Permit, Refusal> {
        let mut table = self.lock();
        if table.closed {
            return Err(Refusal::ShuttingDown);
        }
        if table.live.len() >= self.max_total {
            return Err(Refusal::ServerFull(self.max_total));
        }
        let from_ip = table.per_ip.get(&ip).copied().unwrap_or(0);
        if !ip.is_loopback() && from_ip >= self.max_per_ip {
            return Err(Refusal::TooManyFromAddress(ip, self.max_per_ip));
        }
        table.per_ip.insert(ip, from_ip + 1);
        table.live.insert(id, (ip, Arc::clone(outbox)));
        Ok(Permit {
            connections: Arc::clone(self),
            id,
        })
    }

    /// How many connections are live.
    pub fn count(&self) -> usize {
        self.lock().live.len()
    }

    /// Admits nobody from now on and wakes every session's blocked read, so that each
    /// says goodbye to its client and ends.
    pub fn close_all(&self) {
        let outboxes: Vec<Arc<Outbox>> = {
            let mut table = self.lock();
            table.closed = true;
            table
                .live
                .values()
                .map(|(_, outbox)| Arc::clone(outbox))
                .collect()
        };
        for outbox in outboxes {
            outbox.stop_reading();
        }
    }

    /// Waits until no connection is left, or until `timeout`; returns how many remain.
    pub fn wait_until_empty(&self, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        let mut table = self.lock();
        while !table.live.is_empty() {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            table = self
                .departed
                .wait_timeout(table, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        table.live.len()
    }

    fn remove(&self, id: usize) {
        let mut table = self.lock();
        if let Some((ip, _)) = table.live.remove(&id) {
            match table.per_ip.get_mut(&ip) {
                Some(count) if *count > 1 => *count -= 1,
                _ => {
                    table.per_ip.remove(&ip);
                }
            }
        }
        drop(table);
        self.departed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, TcpListener, TcpStream};

    use crate::flusher::Flusher;

    fn outbox(listener: &TcpListener, id: usize) -> Arc<Outbox> {
        let stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        Arc::new(Outbox::new(
            stream,
            1024,
            id,
            Arc::new(Flusher::new().unwrap()),
        ))
    }

    #[test]
    fn caps_connections_per_address_but_not_for_loopback() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let connections = Arc::new(Connections::new(100, 2));
        let remote = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7));
        let first = connections.admit(1, remote, &outbox(&listener, 1)).unwrap();
        let _second = connections.admit(2, remote, &outbox(&listener, 2)).unwrap();
        assert_eq!(
            connections
                .admit(3, remote, &outbox(&listener, 3))
                .unwrap_err(),
            Refusal::TooManyFromAddress(remote, 2)
        );
        let other = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1));
        assert!(connections.admit(4, other, &outbox(&listener, 4)).is_ok());
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let local: Vec<Permit> = (10..15)
            .map(|id| {
                connections
                    .admit(id, loopback, &outbox(&listener, id))
                    .unwrap()
            })
            .collect();
        assert_eq!(local.len(), 5);
        drop(first);
        assert!(connections.admit(5, remote, &outbox(&listener, 5)).is_ok());
    }

    #[test]
    fn refuses_everyone_over_the_total_and_after_closing() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let connections = Arc::new(Connections::new(1, 8));
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let only = connections.admit(1, ip, &outbox(&listener, 1)).unwrap();
        assert_eq!(
            connections.admit(2, ip, &outbox(&listener, 2)).unwrap_err(),
            Refusal::ServerFull(1)
        );
        drop(only);
        assert_eq!(connections.wait_until_empty(Duration::from_secs(5)), 0);
        connections.close_all();
        assert_eq!(
            connections.admit(3, ip, &outbox(&listener, 3)).unwrap_err(),
            Refusal::ShuttingDown
        );
    }

    #[test]
    fn refusal_lines_carry_the_code_and_a_reason() {
        assert_eq!(
            Refusal::TooManyFromAddress(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7)), 8).line(),
            "ERROR too_many_connections: too many connections from 203.0.113.7 (limit 8)\r\n"
        );
    }
}
