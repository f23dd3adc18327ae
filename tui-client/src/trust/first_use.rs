//! Trust on first use, before the client takes over the terminal.
//!
//! A server already in `known_hosts` is not contacted here: the network task checks its
//! certificate on every connection. Any other server is contacted once, only to see its
//! certificate. One an authority vouches for needs nothing more. One nobody vouches for
//! is shown to the user (its fingerprint and `host:port`) with one question, `[y/N]`;
//! yes writes it to `known_hosts` and the client goes on trusting exactly that
//! certificate, anything else stops the client having saved nothing.
//!
//! The question is asked on the terminal in its normal mode, before the full screen,
//! as ssh asks it: the answer is a line typed and seen, and the screen the chat then
//! takes over holds nothing of it.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;

use super::fingerprint::Fingerprint;
use super::known_hosts::{KnownHosts, KnownHostsError};
use super::verifier::{Distrust, TofuVerifier};
use super::{host_key, provider};
use crate::net::NetConfig;
use crate::net::tls::{HandshakeFailure, TlsConnect, probe};

/// Why the client cannot go on with TLS.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The user did not accept the server's certificate.
    #[error("{host} is not trusted; nothing was saved, and chat-tui did not connect")]
    Declined {
        /// `host:port`.
        host: String,
    },
    /// The server's certificate is refused without asking.
    #[error(transparent)]
    Refused(Distrust),
    /// The server could not be reached to see its certificate.
    #[error("cannot check the certificate of {host}: {reason}")]
    Unreachable {
        /// `host:port`.
        host: String,
        /// Why.
        reason: String,
    },
    /// `known_hosts` cannot be read or written.
    #[error(transparent)]
    KnownHosts(#[from] KnownHostsError),
    /// The question could not be asked or answered.
    #[error("cannot ask whether to trust the server: {0}")]
    Question(io::Error),
    /// TLS cannot be set up for this host.
    #[error("{0}")]
    Setup(String),
}

/// Decides how to trust the server of `config` and returns the TLS settings every
/// connection will use. `ask` is called, at most once, when the server presents a
/// certificate nobody vouches for; its `true` is remembered in `known_hosts`.
pub async fn establish(
    config: &NetConfig,
    known_hosts: &mut KnownHosts,
    roots: Arc<RootCertStore>,
    ask: impl FnOnce(&str, &Fingerprint) -> io::Result<bool>,
) -> Result<TlsConnect, TrustError> {
    let host = host_key(&config.host, config.port);
    let pinned = known_hosts.get(&host).cloned();
    let remembered = pinned.is_some();
    let verifier = TofuVerifier::new(&host, roots, pinned, provider());
    let connect = |verifier: TofuVerifier| {
        TlsConnect::new(&config.host, Arc::new(verifier)).map_err(TrustError::Setup)
    };
    let tls = connect(verifier.clone())?;
    if remembered {
        return Ok(tls);
    }
    match probe(config, &tls).await {
        Ok(()) => Ok(tls),
        Err(HandshakeFailure::Distrust(Distrust::Unknown { host, presented })) => {
            if !ask(&host, &presented).map_err(TrustError::Question)? {
                return Err(TrustError::Declined { host });
            }
            let entry = known_hosts.remember(&host, presented)?;
            connect(verifier.pinned(entry))
        }
        Err(HandshakeFailure::Distrust(changed)) => Err(TrustError::Refused(changed)),
        Err(failure @ (HandshakeFailure::Failed(_) | HandshakeFailure::Refused { .. })) => {
            Err(TrustError::Unreachable {
                host,
                reason: failure.to_string(),
            })
        }
    }
}

/// Shows the server's fingerprint on `output` and asks whether to trust it; only `y` or
/// `yes` (any case) is a yes, and the end of the input is a no.
pub fn ask(
    input: &mut impl BufRead,
    output: &mut impl Write,
    host: &str,
    fingerprint: &Fingerprint,
    known_hosts: &Path,
) -> io::Result<bool> {
    write!(
        output,
        "The certificate of {host} is not signed by an authority this system trusts.\n\
         Its SHA-256 fingerprint is\n\
         \n    {fingerprint}\n\n\
         Compare it with the one the server's operator gives you (chat-server logs it when it\n\
         starts). If they are the same, trusting it is safe: chat-tui will remember it in\n\
         {}\n\
         and refuse this server if it ever presents another.\n\
         Trust {host}? [y/N] ",
        known_hosts.display()
    )?;
    output.flush()?;
    let mut answer = String::new();
    input.read_line(&mut answer)?;
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if answer.is_empty() {
        writeln!(output)?;
    }
    Ok(yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(typed: &str) -> (bool, String) {
        let mut output = Vec::new();
        let yes = ask(
            &mut typed.as_bytes(),
            &mut output,
            "h:1",
            &Fingerprint::of(b"x"),
            Path::new("/kh"),
        )
        .unwrap();
        (yes, String::from_utf8(output).unwrap())
    }

    #[test]
    fn only_yes_is_yes() {
        for yes in ["y\n", "Y\n", "yes\n", " YES \n"] {
            assert!(answer(yes).0, "{yes:?}");
        }
        for no in ["\n", "n\n", "no\n", "yeah\n", "", "y es\n", "sure\n"] {
            assert!(!answer(no).0, "{no:?}");
        }
    }

    #[test]
    fn the_question_shows_the_server_and_its_fingerprint() {
        let (_, shown) = answer("n\n");
        assert!(shown.contains("h:1"), "{shown}");
        assert!(
            shown.contains(&Fingerprint::of(b"x").to_string()),
            "{shown}"
        );
        assert!(shown.contains("/kh"), "{shown}");
        assert!(shown.ends_with("[y/N] "), "{shown}");
    }
}
