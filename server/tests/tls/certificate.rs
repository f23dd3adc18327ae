//! Where the certificate comes from: generated once into the data directory and kept,
//! or the operator's PEM files; unusable files stop the server at startup with a
//! message that names them.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use chat_server::tls::fingerprint;
use rustls::pki_types::CertificateDer;

use crate::support::process::{BINARY, ServerProcess};
use crate::support::tls::{TlsServer, read_cert, trusting};
use crate::support::{Conn, PATIENCE, Plain, start_server};

/// A self-signed certificate for localhost, written as PEM into `dir`: its paths and
/// the certificate.
fn operator_certificate(dir: &Path) -> (PathBuf, PathBuf, CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.join("operator.crt"), dir.join("operator.key"));
    fs::write(&cert, made.cert.pem()).unwrap();
    fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key, made.cert.der().clone())
}

#[test]
fn the_generated_certificate_is_kept_with_a_private_key_and_reused_after_a_restart() {
    let first = TlsServer::start(|_| {});
    let tls_dir = first.dir.path().join("tls");
    let key_mode = fs::metadata(tls_dir.join("key.pem"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600, "the key is readable by others");
    let dir_mode = fs::metadata(&tls_dir).unwrap().permissions().mode();
    assert_eq!(dir_mode & 0o077, 0, "the tls directory is open to others");
    let cert_before = fs::read(tls_dir.join("cert.pem")).unwrap();
    Plain::greeted(first.connect());
    let TlsServer {
        server,
        dir,
        client,
    } = first;
    drop(server);

    let again = start_server(|c| {
        c.data_dir = Some(dir.path().to_owned());
        c.tls_detect_wait = PATIENCE;
    });
    assert_eq!(fs::read(tls_dir.join("cert.pem")).unwrap(), cert_before);
    // The client that trusted the first run's certificate trusts the second run.
    let mut person = Plain::greeted(Conn::connect_tls(again.local_addr(), &client));
    person.say("alice");
    person.expect("* Type a message");
}

#[test]
fn the_operators_certificate_and_key_are_used_and_nothing_is_generated() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, der) = operator_certificate(dir.path());
    let data = dir.path().join("data");
    let server = start_server(|c| {
        c.tls_cert = Some(cert);
        c.tls_key = Some(key);
        c.data_dir = Some(data.clone());
        c.tls_detect_wait = PATIENCE;
    });
    let conn = Conn::connect_tls(server.local_addr(), &trusting(der.clone()));
    let presented = conn.tls().peer_certificates().unwrap()[0].clone();
    assert_eq!(presented, der);
    assert!(!data.join("tls").exists(), "a certificate was generated");
}

#[test]
fn the_binary_logs_the_fingerprint_of_the_certificate_it_presents() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut server = ServerProcess::spawn(&["--data-dir", data]);
    let cert = read_cert(&dir.path().join("tls/cert.pem"));
    let expected = format!("fingerprint SHA256:{}", fingerprint(&cert));
    let logged = std::iter::from_fn(|| server.logs.recv_timeout(PATIENCE).ok())
        .find(|line| line.contains("fingerprint"))
        .expect("the server logs a fingerprint");
    assert!(
        logged.ends_with(&expected),
        "{logged} (expected {expected})"
    );
    server.terminate();
    server.wait_for_exit();
}

/// Runs the binary with `flags` and returns its exit success and standard error.
fn run_binary(flags: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .args(["0", "--bind", "127.0.0.1", "--no-history"])
        .args(flags)
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn unusable_certificate_files_stop_the_binary_with_a_message_that_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, _) = operator_certificate(dir.path());
    let garbage = dir.path().join("garbage.pem");
    fs::write(
        &garbage,
        "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n",
    )
    .unwrap();
    let empty = dir.path().join("empty.pem");
    fs::write(&empty, "").unwrap();
    let missing = dir.path().join("missing.pem");
    let other_key = dir.path().join("other.key");
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    fs::write(&other_key, other.signing_key.serialize_pem()).unwrap();
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());

    for (flags, names) in [
        (
            ["--tls-cert", garbage.to_str().unwrap(), "--tls-key", key],
            ["--tls-cert", garbage.to_str().unwrap()],
        ),
        (
            ["--tls-cert", empty.to_str().unwrap(), "--tls-key", key],
            ["--tls-cert", empty.to_str().unwrap()],
        ),
        (
            ["--tls-cert", missing.to_str().unwrap(), "--tls-key", key],
            ["--tls-cert", missing.to_str().unwrap()],
        ),
        (["--tls-cert", cert, "--tls-key", cert], ["--tls-key", cert]),
        (
            ["--tls-cert", cert, "--tls-key", other_key.to_str().unwrap()],
            ["certificate and key", ""],
        ),
    ] {
        let (started, stderr) = run_binary(&flags);
        assert!(!started, "{flags:?} started");
        for name in names {
            assert!(stderr.contains(name), "{flags:?}: {stderr}");
        }
        assert_eq!(stderr.lines().count(), 1, "{flags:?}: {stderr}");
    }
}

/// The fingerprint a server binary started with `flags` logs.
fn logged_fingerprint(flags: &[&str]) -> String {
    let mut server = ServerProcess::spawn(flags);
    let logged = std::iter::from_fn(|| server.logs.recv_timeout(PATIENCE).ok())
        .find(|line| line.contains("fingerprint SHA256:"))
        .expect("the server logs a fingerprint");
    server.terminate();
    server.wait_for_exit();
    logged
        .rsplit("SHA256:")
        .next()
        .expect("a fingerprint after SHA256:")
        .to_owned()
}

#[test]
fn without_a_data_directory_each_run_has_a_certificate_of_its_own() {
    let first = logged_fingerprint(&[]);
    let second = logged_fingerprint(&[]);
    assert_eq!(first.split(':').count(), 32, "{first}");
    assert_ne!(
        first, second,
        "two runs without a data directory shared a key"
    );
}
