//! The client against a hostile or broken peer: a raw `TcpListener` in the test plays a
//! server that sends garbage, endless or oversized lines, invalid UTF-8, escape
//! sequences, nothing at all, or vanishes in the middle of a frame. In every case the
//! client shows an error state, keeps trying, never panics, and never lets a control
//! character reach the screen.

mod common;

use std::time::Duration;

use chat_shared::frame::{ServerFrame, encode};
use chat_tui::app::Connection;
use chat_tui::event::NetEvent;
use chat_tui::net::MAX_SERVER_LINE_BYTES;
use common::{Client, PATIENCE, net_config};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const HELLO: &[u8] =
    b"{\"type\":\"hello\",\"version\":3,\"server\":\"hostile 6.6.6\",\"max_line_bytes\":8192}\n";

/// A listener playing the server, and a client connected to it.
async fn hostile_peer() -> (TcpListener, Client) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = Client::connect(listener.local_addr().unwrap());
    (listener, client)
}

/// Accepts the client and reads its `hello` line.
async fn accept(listener: &TcpListener) -> BufReader<TcpStream> {
    let (socket, _) = tokio::time::timeout(PATIENCE, listener.accept())
        .await
        .expect("the client connects")
        .unwrap();
    let mut socket = BufReader::new(socket);
    let hello = read_line(&mut socket).await;
    assert!(hello.contains("\"hello\""), "{hello}");
    socket
}

/// Reads one line the client sent.
async fn read_line(socket: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    tokio::time::timeout(PATIENCE, socket.read_line(&mut line))
        .await
        .expect("the client sends a line")
        .unwrap();
    line
}

async fn write(socket: &mut BufReader<TcpStream>, bytes: &[u8]) {
    socket.get_mut().write_all(bytes).await.unwrap();
}

/// Waits for the client to give up on the connection, and returns the reason it gives.
async fn disconnect_reason(client: &mut Client) -> String {
    client
        .until("the client to disconnect", |client| {
            matches!(client.app.connection(), Connection::Down { .. })
        })
        .await;
    match client.app.connection() {
        Connection::Down { reason, .. } => reason.clone(),
        other => unreachable!("{other:?}"),
    }
}

/// The client tries again after the failure, and its screen has no control character.
async fn recovers(listener: &TcpListener, client: &mut Client) {
    accept(listener).await;
    client
        .until_news(
            "a new attempt",
            |news| matches!(news, NetEvent::Connecting { attempt } if *attempt >= 2),
        )
        .await;
    assert_screen_is_clean(client);
}

fn assert_screen_is_clean(client: &Client) {
    let screen = client.screen();
    assert!(
        !screen.chars().any(|c| c.is_control() && c != '\n'),
        "{screen:?}"
    );
}

#[tokio::test]
async fn garbage_after_hello_is_a_protocol_error() {
    let (listener, mut client) = hostile_peer().await;
    let mut socket = accept(&listener).await;
    write(&mut socket, HELLO).await;
    write(&mut socket, b"%$#@! this is not json\n").await;
    let reason = disconnect_reason(&mut client).await;
    assert!(reason.contains("protocol error"), "{reason}");
    assert!(client.screen().contains("cannot connect: protocol error"));
    recovers(&listener, &mut client).await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_without_buffering_it() {
    let (listener, mut client) = hostile_peer().await;
    let mut socket = accept(&listener).await;
    write(&mut socket, HELLO).await;
    let chunk = vec![b'x'; 64 * 1024];
    let flood = async {
        for _ in 0..64 {
            if socket.get_mut().write_all(&chunk).await.is_err() {
                return;
            }
        }
    };
    let (_, reason) = tokio::join!(flood, disconnect_reason(&mut client));
    assert!(reason.contains("line over"), "{reason}");
    recovers(&listener, &mut client).await;
}

#[tokio::test]
async fn invalid_utf8_is_a_protocol_error() {
    let (listener, mut client) = hostile_peer().await;
    let mut socket = accept(&listener).await;
    write(&mut socket, b"\xff\xfe\xfd banner\n").await;
    let reason = disconnect_reason(&mut client).await;
    assert!(reason.contains("invalid UTF-8"), "{reason}");
    recovers(&listener, &mut client).await;
}

#[tokio::test]
async fn a_server_vanishing_mid_frame_delivers_no_half_frame() {
    let (listener, mut client) = hostile_peer().await;
    let mut socket = accept(&listener).await;
    write(&mut socket, HELLO).await;
    write(
        &mut socket,
        b"{\"type\":\"welcome\",\"name\":\"alice\",\"ros",
    )
    .await;
    drop(socket);
    let reason = disconnect_reason(&mut client).await;
    assert!(reason.contains("closed the connection"), "{reason}");
    assert!(
        !client
            .news
            .iter()
            .any(|news| matches!(news, NetEvent::Frame(_))),
        "{:?}",
        client.news
    );
    recovers(&listener, &mut client).await;
}

#[tokio::test]
async fn a_server_that_never_says_hello_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = net_config(listener.local_addr().unwrap());
    config.handshake_timeout = Duration::from_millis(300);
    let mut client = Client::start(config);
    let _socket = accept(&listener).await;
    let reason = disconnect_reason(&mut client).await;
    assert!(reason.contains("did not answer"), "{reason}");
}

#[tokio::test]
async fn escape_sequences_and_controls_never_reach_the_screen() {
    let (listener, mut client) = hostile_peer().await;
    client.enter("alice");
    let mut socket = accept(&listener).await;
    write(
        &mut socket,
        b"\x1b[2J\x1b]0;pwned\x07 banner with escapes\n",
    )
    .await;
    write(&mut socket, HELLO).await;
    client
        .until("the connection to be ready", |client| {
            *client.app.connection() == Connection::Connected
        })
        .await;
    let login = read_line(&mut socket).await;
    assert!(login.contains("\"login\""), "{login}");
    write(
        &mut socket,
        "{\"type\":\"welcome\",\"name\":\"alice\",\"roster\":[\"alice\",\"ev\\u001b[31mil\"]}\n"
            .as_bytes(),
    )
    .await;
    write(
        &mut socket,
        "{\"type\":\"message\",\"seq\":1,\"time_ms\":0,\"from\":\"ev\\u001b[31mil\",\
          \"text\":\"\\u001b]52;c;ZXZpbA==\\u0007clip\\u009b31m \\u202eevil\\r\\u0000\"}\n"
            .as_bytes(),
    )
    .await;
    client
        .until("the hostile message", |client| client.shows("clip"))
        .await;
    assert_screen_is_clean(&client);
    let screen = client.screen();
    assert!(screen.contains("<evil> clip31m evil"), "{screen}");
    assert_eq!(client.app.online(), ["alice", "evil"]);
}

#[tokio::test]
async fn unknown_frames_and_a_flood_of_banner_lines_do_not_break_the_handshake() {
    let (listener, mut client) = hostile_peer().await;
    let mut socket = accept(&listener).await;
    for n in 0..1000 {
        write(&mut socket, format!("* banner line {n}\n").as_bytes()).await;
    }
    write(&mut socket, b"{\"type\":\"teleport\"}\n").await;
    write(&mut socket, HELLO).await;
    client
        .until("the connection to be ready", |client| {
            *client.app.connection() == Connection::Connected
        })
        .await;
    assert!(client.screen().contains("connected to hostile 6.6.6"));
}

#[tokio::test]
async fn a_server_that_goes_silent_is_pinged_then_given_up_on() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = net_config(listener.local_addr().unwrap());
    config.quiet_before_ping = Duration::from_millis(200);
    config.ping_timeout = Duration::from_millis(200);
    let mut client = Client::start(config);
    let mut socket = accept(&listener).await;
    write(&mut socket, HELLO).await;
    let ping = read_line(&mut socket).await;
    assert!(ping.contains("\"ping\""), "{ping}");
    let reason = disconnect_reason(&mut client).await;
    assert_eq!(reason, "the server stopped answering");
}

/// A server whose `hello` says its lines may be up to `max_frame_bytes` long, and a client
/// that joined it as alice, with `roster` listed in the welcome.
async fn big_server(max_frame_bytes: usize, roster: Vec<String>) -> (Client, BufReader<TcpStream>) {
    let (listener, mut client) = hostile_peer().await;
    client.enter("alice");
    let mut socket = accept(&listener).await;
    let hello = ServerFrame::Hello {
        version: chat_shared::PROTOCOL_VERSION,
        server: "big 1.0".into(),
        max_line_bytes: 8192,
        max_frame_bytes: Some(max_frame_bytes),
        flood: None,
    };
    write(&mut socket, &encode(&hello)).await;
    client
        .until("the connection to be ready", |client| {
            *client.app.connection() == Connection::Connected
        })
        .await;
    let login = read_line(&mut socket).await;
    assert!(login.contains("\"login\""), "{login}");
    let welcome = ServerFrame::Welcome {
        room: None,
        name: "alice".into(),
        roster,
    };
    write(&mut socket, &encode(&welcome)).await;
    (client, socket)
}

#[tokio::test]
async fn a_roster_over_the_default_cap_is_taken_when_hello_announces_room_for_it() {
    let mut roster: Vec<String> = (0..45_000).map(|n| format!("member{n:018}")).collect();
    roster.extend(["alice".into(), "zed".into()]);
    let bytes = encode(&ServerFrame::Welcome {
        room: None,
        name: "alice".into(),
        roster: roster.clone(),
    })
    .len();
    assert!(bytes > MAX_SERVER_LINE_BYTES, "{bytes}");
    let (mut client, mut socket) = big_server(4 << 20, roster).await;
    client
        .until("the big welcome", |client| {
            *client.app.connection() == Connection::LoggedIn
        })
        .await;
    assert_eq!(client.app.online().len(), 45_002);

    let mut over = vec![b'x'; (4 << 20) + 1];
    over.push(b'\n');
    let (_, reason) = tokio::join!(
        socket.get_mut().write_all(&over),
        disconnect_reason(&mut client)
    );
    assert!(reason.contains("line over 4194304 bytes"), "{reason}");
}

/// A crash loop: the server answers `hello` and closes, again and again. The client's
/// count of failures must not start over at each `hello`, so its delays are drawn from
/// ever wider windows: 20, 40, 80, 160, then 200 ms (the test config's cap).
#[tokio::test]
async fn a_server_that_fails_right_after_hello_is_retried_ever_more_slowly() {
    let (listener, mut client) = hostile_peer().await;
    let crashing = tokio::spawn(async move {
        loop {
            let mut socket = accept(&listener).await;
            write(&mut socket, HELLO).await;
        }
    });
    let tries = |client: &Client| {
        client
            .news
            .iter()
            .filter(|news| matches!(news, NetEvent::Connecting { .. }))
            .count()
    };
    client.until("six tries", |client| tries(client) == 6).await;
    crashing.abort();

    let attempts: Vec<u32> = client
        .news
        .iter()
        .filter_map(|news| match news {
            NetEvent::Connecting { attempt } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(attempts, [1, 2, 3, 4, 5, 6]);
    let delays = client.news.iter().filter_map(|news| match news {
        NetEvent::Disconnected { retry_in, .. } => Some(*retry_in),
        _ => None,
    });
    for (delay, window_ms) in delays.zip([20, 40, 80, 160, 200]) {
        assert!(delay <= Duration::from_millis(window_ms), "{delay:?}");
    }
}

/// A message of `room` with the given id.
fn message_in(room: &str, seq: u64, from: &str, text: &str) -> ServerFrame {
    ServerFrame::Message {
        epoch: 1,
        seq,
        time_ms: 0,
        from: from.into(),
        text: text.into(),
        nonce: None,
        room: Some(room.into()),
    }
}

#[tokio::test]
async fn a_hostile_history_frame_adds_only_what_belongs_and_breaks_nothing() {
    let (mut client, mut socket) = big_server(16 << 20, vec!["alice".into()]).await;
    client
        .until("the welcome", |client| {
            *client.app.connection() == Connection::LoggedIn
        })
        .await;
    let mut events = vec![
        message_in("#general", 1, "bob", "first"),
        message_in("#general", 1, "bob", "the same id again"),
        message_in("#elsewhere", 2, "mallory", "from another room"),
        ServerFrame::Welcome {
            room: None,
            name: "mallory".into(),
            roster: vec!["mallory".into()],
        },
        ServerFrame::Private {
            time_ms: 0,
            from: "mallory".into(),
            to: "alice".into(),
            text: "a private message inside history".into(),
            nonce: None,
        },
        ServerFrame::Shutdown {
            message: "not really".into(),
            retry_within_ms: None,
        },
        ServerFrame::History {
            room: "#general".into(),
            epoch: 1,
            reason: chat_shared::frame::HistoryReason::Join,
            events: vec![message_in("#general", 3, "mallory", "nested")],
            complete: true,
            more: true,
        },
        message_in("#general", 4, "bob", "\u{1b}[2Jescaped"),
    ];
    events
        .extend((5..60_000).map(|seq| message_in("#general", seq, "bob", &format!("flood {seq}"))));
    let history = ServerFrame::History {
        room: "#general".into(),
        epoch: 1,
        reason: chat_shared::frame::HistoryReason::Join,
        events,
        complete: true,
        more: true,
    };
    write(&mut socket, &encode(&history)).await;
    write(
        &mut socket,
        &encode(&message_in("#general", 60_000, "bob", "live again")),
    )
    .await;
    client
        .until("the live message after it", |client| {
            client.shows("live again")
        })
        .await;
    assert_eq!(*client.app.connection(), Connection::LoggedIn);
    assert_eq!(client.app.me(), Some("alice"));
    assert_eq!(client.app.buffers().len(), 2, "no buffer opened by history");
    assert!(
        client.app.entries().count() <= 1000,
        "no more than the buffer keeps"
    );
    let texts = client.messages_from("bob");
    assert_eq!(texts.last().map(String::as_str), Some("live again"));
    assert!(!client.shows("mallory") && !client.shows("nested"));
    assert_screen_is_clean(&client);
}
