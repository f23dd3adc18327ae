//! Where the server's certificate comes from: PEM files, or a self-signed certificate
//! generated once and kept, or generated for one run.

use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use ring::digest::{SHA256, digest};
use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::TlsError;

/// A certificate chain (leaf first) and its private key.
type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

/// Names of the generated files inside `DATA_DIR/tls/`.
const CERT_FILE: &str = "cert.pem";
const KEY_FILE: &str = "key.pem";

/// The SHA-256 fingerprint of a certificate (its DER bytes) as uppercase hex pairs
/// separated by colons (`AB:CD:...`), the form `openssl x509 -fingerprint -sha256`
/// prints; clients show the same form so that people can compare the two.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    let hash = digest(&SHA256, cert.as_ref());
    let mut text = String::with_capacity(hash.as_ref().len() * 3);
    for (i, byte) in hash.as_ref().iter().enumerate() {
        if i > 0 {
            text.push(':');
        }
        let _ = write!(text, "{byte:02X}");
    }
    text
}

/// Reads a PEM certificate chain and a PEM private key; `cert_what` and `key_what` name
/// them in errors (the flag, or "generated").
pub(super) fn load(
    cert: &Path,
    cert_what: &'static str,
    key: &Path,
    key_what: &'static str,
) -> Result<Identity, TlsError> {
    let file_error = |what, path: &Path, reason: String| TlsError::File {
        what,
        path: path.to_owned(),
        reason,
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| file_error(cert_what, cert, explain(&e, CERTIFICATE)))?;
    if chain.is_empty() {
        return Err(file_error(
            cert_what,
            cert,
            explain(&pem::Error::NoItemsFound, CERTIFICATE),
        ));
    }
    let private_key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| file_error(key_what, key, explain(&e, PRIVATE_KEY)))?;
    Ok((chain, private_key))
}

/// What a certificate file must hold, for error messages.
const CERTIFICATE: &str = "PEM certificate (-----BEGIN CERTIFICATE-----)";

/// What a key file must hold, for error messages.
const PRIVATE_KEY: &str =
    "PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)";

/// Says in words what is wrong with a file that should hold a `wanted`.
fn explain(error: &pem::Error, wanted: &str) -> String {
    match error {
        pem::Error::Io(e) => format!("cannot read it: {e}"),
        pem::Error::NoItemsFound => format!("it holds no {wanted}"),
        pem::Error::MissingSectionEnd { end_marker } => format!(
            "a section has no end line ({})",
            String::from_utf8_lossy(end_marker)
        ),
        pem::Error::IllegalSectionStart { .. } => "a section begins with a broken line".into(),
        pem::Error::Base64Decode(e) => format!("a section is not valid base64 ({e})"),
        other => format!("it is not a {wanted}: {other}"),
    }
}

/// The certificate kept in `dir` (`cert.pem`, `key.pem`), generated and saved there on
/// first use; the key file is readable by the server's user alone.
pub(super) fn generated_in(dir: &Path) -> Result<Identity, TlsError> {
    let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    if cert_path.exists() && key_path.exists() {
        tracing::info!("TLS certificate from {}", cert_path.display());
        return load(&cert_path, "generated", &key_path, "generated");
    }
    let (cert_pem, key_pem, identity) = generate_pem()?;
    let save_error = |path: &Path| {
        let path = path.to_owned();
        move |source| TlsError::Save { path, source }
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(save_error(dir))?;
    write_private(&key_path, key_pem.as_bytes()).map_err(save_error(&key_path))?;
    fs::write(&cert_path, cert_pem).map_err(save_error(&cert_path))?;
    tracing::info!(
        "TLS certificate generated (self-signed) and saved in {}",
        dir.display()
    );
    Ok(identity)
}

/// A self-signed certificate for this run alone.
pub(super) fn generate() -> Result<Identity, TlsError> {
    generate_pem().map(|(_, _, identity)| identity)
}

/// Writes `bytes` to `path` with mode 0600, also when the file existed with a wider one.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new self-signed certificate (ECDSA P-256) for the names a client on this machine
/// or the network may use: localhost, the loopback addresses and the host name.
fn generate_pem() -> Result<(String, String, Identity), TlsError> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    names.extend(host_name());
    let certified = rcgen::generate_simple_self_signed(names)?;
    let cert_pem = certified.cert.pem();
    let key_pem = certified.signing_key.serialize_pem();
    let chain = vec![certified.cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    Ok((cert_pem, key_pem, (chain, key)))
}

/// The machine's host name, when it is one a certificate can name (letters, digits,
/// hyphens and dots).
fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that much.
    let result = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if result != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0)?;
    let name = std::str::from_utf8(&buf[..end]).ok()?;
    let usable = !name.is_empty()
        && name != "localhost"
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    usable.then(|| name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_uppercase_hex_pairs_joined_by_colons() {
        let cert = CertificateDer::from(b"chat".to_vec());
        let printed = fingerprint(&cert);
        // sha256("chat"), as `printf chat | sha256sum` prints it.
        let expected = "31e06f7d89feb99a0e6c0affe198748c3bb5bef5e3cc92d95cb9e996197d3fc3";
        assert_eq!(printed.replace(':', "").to_ascii_lowercase(), expected);
        assert_eq!(printed.len(), 32 * 3 - 1);
        assert!(printed.split(':').all(|pair| {
            pair.len() == 2
                && pair
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        }));
    }

    #[test]
    fn a_generated_certificate_is_kept_with_a_private_key_file_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let (first, _) = generated_in(&tls).unwrap();
        let mode = fs::metadata(tls.join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let (again, _) = generated_in(&tls).unwrap();
        assert_eq!(fingerprint(&first[0]), fingerprint(&again[0]));
    }
}
