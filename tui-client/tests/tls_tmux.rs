//! End to end: the real `chat-tui` binary in tmux, with `--tls`, against a real rustls
//! server (tests/common/tls_server.rs). On first contact it asks on the terminal, before
//! the full screen, showing the server and its fingerprint; `y` remembers it and the
//! chat starts over TLS; the next start asks nothing; `n` exits having saved nothing;
//! and a server whose certificate changed ends the client with the loud message on the
//! restored terminal; a corrupt `known_hosts` stops it naming the line. Each time the
//! terminal is given back.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use common::tls_server::{Identity, TlsServer};
use common::tmux::{Tmux, assert_terminal_restored, script_reporting_terminal_state};

/// Starts `chat-tui --tls` for `port` in a new session, with its own XDG directories
/// under `home`.
fn start_client(tmux: &Tmux, home: &Path, session: &str, port: u16) {
    let session_dir = home.join(session);
    std::fs::create_dir(&session_dir).unwrap();
    let command = format!(
        "XDG_DATA_HOME={data} XDG_CONFIG_HOME={config} {binary} --tls 127.0.0.1 {port}",
        data = home.join("data").display(),
        config = home.join("config").display(),
        binary = env!("CARGO_BIN_EXE_chat-tui"),
    );
    let script = script_reporting_terminal_state(&session_dir, &command);
    tmux.start(session, 120, 30, &script);
}

/// Starts a test server for each list of identities, on a thread of their own that
/// runs until the test process ends, and returns their addresses.
fn serve_in_background(servers: Vec<Vec<Identity>>) -> Vec<SocketAddr> {
    let (addresses_sender, addresses) = mpsc::channel();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut addresses = Vec::new();
            for identities in servers {
                addresses.push(TlsServer::start(identities, false).await.address);
            }
            addresses_sender.send(addresses).unwrap();
            std::future::pending::<()>().await;
        });
    });
    addresses.recv().unwrap()
}

fn known_hosts(home: &Path) -> PathBuf {
    home.join("data/chat-tui/known_hosts")
}

#[test]
fn trust_on_first_use_in_a_real_terminal() {
    let identity = Identity::self_signed();
    let impostor = Identity::self_signed();
    let addresses = serve_in_background(vec![vec![identity.clone()], vec![impostor.clone()]]);
    let port = addresses[0].port();
    let home = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("tofu");
    let question = format!("Trust 127.0.0.1:{port}? [y/N]");

    // Declined: nothing saved, a clear message, exit status 1.
    start_client(&tmux, home.path(), "no", port);
    let screen = tmux.wait_for_text("no", &question);
    assert!(
        screen.contains(&identity.fingerprint().to_string()),
        "{screen}"
    );
    assert_eq!(
        tmux.format("no", "#{alternate_on}"),
        "0",
        "asked before the full screen"
    );
    tmux.keys("no", &["n", "Enter"]);
    let screen = assert_terminal_restored(&tmux, "no");
    assert!(
        screen.contains("is not trusted; nothing was saved"),
        "{screen}"
    );
    assert!(screen.contains("EXIT:1"), "{screen}");
    assert!(!known_hosts(home.path()).exists());

    // Accepted: remembered, and the chat runs over TLS.
    start_client(&tmux, home.path(), "yes", port);
    tmux.wait_for_text("yes", &question);
    tmux.keys("yes", &["y", "Enter"]);
    tmux.wait_for_text("yes", "connected to tls-test 1.0");
    tmux.type_text("yes", "ann");
    tmux.keys("yes", &["Enter"]);
    tmux.wait_for_text("yes", "#general");
    tmux.keys("yes", &["C-c"]);
    let screen = assert_terminal_restored(&tmux, "yes");
    assert!(screen.contains("EXIT:0"), "{screen}");
    assert_eq!(
        std::fs::read_to_string(known_hosts(home.path())).unwrap(),
        format!("127.0.0.1:{port} {}\n", identity.fingerprint())
    );

    // Remembered: no question.
    start_client(&tmux, home.path(), "again", port);
    let screen = tmux.wait_for_text("again", "connected to tls-test 1.0");
    assert!(!screen.contains("Trust"), "{screen}");
    tmux.keys("again", &["C-c"]);
    assert!(assert_terminal_restored(&tmux, "again").contains("EXIT:0"));

    // Changed: the client starts, meets the other certificate, and ends loudly.
    let other_port = addresses[1].port();
    let line = format!("127.0.0.1:{other_port} {}", identity.fingerprint());
    let mut text = std::fs::read_to_string(known_hosts(home.path())).unwrap();
    text.push_str(&line);
    text.push('\n');
    std::fs::write(known_hosts(home.path()), &text).unwrap();
    start_client(&tmux, home.path(), "changed", other_port);
    let screen = assert_terminal_restored(&tmux, "changed");
    assert!(screen.contains("HAS CHANGED"), "{screen}");
    assert!(
        screen.contains(&impostor.fingerprint().to_string()),
        "{screen}"
    );
    assert!(screen.contains(&line), "{screen}");
    assert!(screen.contains("EXIT:1"), "{screen}");
    assert!(!screen.contains("Trust"), "never asked: {screen}");
    assert_eq!(
        std::fs::read_to_string(known_hosts(home.path())).unwrap(),
        text
    );
}

#[test]
fn a_corrupt_known_hosts_stops_the_client_naming_its_line() {
    let home = tempfile::tempdir().unwrap();
    let path = known_hosts(home.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        "# trusted servers\n127.0.0.1:9999 not-a-fingerprint\n",
    )
    .unwrap();
    let tmux = Tmux::new("corrupt");
    start_client(&tmux, home.path(), "corrupt", 9);
    let screen = assert_terminal_restored(&tmux, "corrupt");
    assert!(
        screen.contains(&format!(
            "chat-tui: {}:2: not-a-fingerprint",
            path.display()
        )),
        "{screen}"
    );
    assert!(screen.contains("EXIT:1"), "{screen}");
}
