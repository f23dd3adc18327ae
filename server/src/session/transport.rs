//! Whether a new connection speaks TLS or cleartext, decided by its first byte before
//! the session begins, and the refusal of cleartext under `--require-tls`.

use std::io::Read;
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::ServerConfig;

use crate::connections::Refusal;
use crate::outbox::Outbox;
use crate::shared_state::Shared;
use crate::tls::{FirstByte, first_byte};

/// Longest wait for the refusal of a cleartext connection to be sent, and then for the
/// client to stop sending, before the connection is closed.
const REFUSAL_GRACE: Duration = Duration::from_secs(1);

/// Most bytes of a refused client read and thrown away while its refusal is delivered.
const REFUSAL_DISCARD_BYTES: usize = 64 * 1024;

/// Looks at the connection's first byte (waiting up to `--tls-detect-wait` for it) and
/// sets the outbox up for what it says. Returns whether the connection is encrypted,
/// or `None` when it is to be closed: cleartext under `--require-tls` (refused here),
/// or a TLS session that cannot be made.
pub(super) fn choose(
    shared: &Shared,
    outbox: &Arc<Outbox>,
    tls: &Arc<ServerConfig>,
    peer: SocketAddr,
) -> Option<bool> {
    match first_byte(outbox.stream(), shared.config.tls_detect_wait) {
        FirstByte::Tls => match outbox.start_tls(tls) {
            Ok(()) => Some(true),
            Err(e) => {
                tracing::warn!(%peer, "cannot start a TLS session: {e}");
                None
            }
        },
        FirstByte::Cleartext | FirstByte::Silent if shared.config.require_tls => {
            tracing::info!(%peer, "refused: cleartext connection while TLS is required");
            refuse_cleartext(outbox);
            None
        }
        FirstByte::Cleartext | FirstByte::Silent => Some(false),
    }
}

/// Sends the `tls_required` refusal, then half-closes the connection and throws away
/// what the client sends until it closes too (briefly, and a bounded amount): closing a
/// socket with unread input makes the kernel reset the connection, which can destroy
/// the refusal before the client reads it. Nothing the client sent is looked at.
fn refuse_cleartext(outbox: &Arc<Outbox>) {
    outbox.send(Refusal::TlsRequired.line().as_bytes());
    let deadline = Instant::now() + REFUSAL_GRACE;
    super::socket_loop::wait_until_sent(outbox, REFUSAL_GRACE);
    outbox.close();
    let mut stream = outbox.stream();
    let _ = stream.shutdown(Shutdown::Write);
    let mut discarded = 0;
    let mut buf = [0u8; 4096];
    while discarded < REFUSAL_DISCARD_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(read) => discarded += read,
        }
    }
}
