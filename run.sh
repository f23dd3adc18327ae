#!/usr/bin/env bash
# Builds the chat, starts a server and opens several clients against it.
#
#   ./run.sh [-p PORT] [-n CLIENTS] [-m MODE]   start a server and CLIENTS clients
#   ./run.sh stop [-p PORT]                     stop the server(s) this script started
#   ./run.sh -h                                 help
#
# MODE picks where the clients open: auto (default) tries, in order, GNOME Terminal,
# another terminal emulator, tmux, then the current terminal. The clients connect with
# TLS, already trusting the certificate the server generated for itself.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT
readonly TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
readonly RUN_DIR="$TARGET_DIR/run"
readonly SERVER_BIN="$TARGET_DIR/release/chat-server"
readonly CLIENT_BIN="$TARGET_DIR/release/chat-tui"
readonly NAMES=(alice bob carol dave erin frank grace heidi ivan judy)
readonly EMULATORS=(x-terminal-emulator konsole xfce4-terminal kitty alacritty xterm)

port=9999
port_given=""
clients=3
mode=auto

usage() {
    cat <<EOF
Usage: ./run.sh [-p PORT] [-n CLIENTS] [-m MODE]
       ./run.sh stop [-p PORT]

Builds chat-server and chat-tui (release), starts the server on PORT (default 9999)
in the background, and opens CLIENTS clients (default 3) connected to it over TLS.
The server's self-signed certificate is trusted in advance: the clients remember its
fingerprint in $RUN_DIR/client-PORT/chat-tui/known_hosts, not in yours.

  -p PORT      TCP port for the server (1-65535, default 9999)
  -n CLIENTS   number of client windows (1-10, default 3)
  -m MODE      where to open the clients: auto (default), gnome, emulator, tmux, here
               auto tries GNOME Terminal, another terminal emulator, tmux, and finally
               the current terminal (one client; the server stops when it exits)
  -h           show this help

stop           stops the server started by ./run.sh on PORT (all of them without -p)
               and the clients it opened.

Server logs go to $RUN_DIR/chat-server-PORT.log, its history to $RUN_DIR/data-PORT/.
EOF
}

fail() {
    echo "run.sh: $*" >&2
    exit 1
}

bad_usage() {
    echo "run.sh: $*" >&2
    usage >&2
    exit 2
}

# True when $1 is a whole number from $2 to $3.
in_range() {
    [[ "$1" =~ ^[0-9]+$ ]] || return 1
    [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

parse_options() {
    local opt
    OPTIND=1
    while getopts ":p:n:m:h" opt; do
        case "$opt" in
            p) port="$OPTARG" port_given=1 ;;
            n) clients="$OPTARG" ;;
            m) mode="$OPTARG" ;;
            h) usage; exit 0 ;;
            :) bad_usage "option -$OPTARG needs a value" ;;
            *) bad_usage "unknown option -$OPTARG" ;;
        esac
    done
    shift $((OPTIND - 1))
    [ "$#" -eq 0 ] || bad_usage "unexpected argument: $1"
    in_range "$port" 1 65535 || bad_usage "PORT must be a number from 1 to 65535, not '$port'"
    in_range "$clients" 1 10 || bad_usage "CLIENTS must be a number from 1 to 10, not '$clients'"
    case "$mode" in
        auto | gnome | emulator | tmux | here) ;;
        *) bad_usage "MODE must be auto, gnome, emulator, tmux or here, not '$mode'" ;;
    esac
}

pid_file() { echo "$RUN_DIR/chat-server-$1.pid"; }
log_file() { echo "$RUN_DIR/chat-server-$1.log"; }
# The clients' XDG data folder, which holds the known_hosts file they trust.
client_data_dir() { echo "$RUN_DIR/client-$1"; }

# True when something accepts connections on the port (loopback).
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when PID is alive and is one of our servers.
is_our_server() {
    [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "chat-server"
}

# Stops the clients this script started against PORT (they run `chat-tui ... PORT`).
stop_clients() {
    local port="$1" pids
    pids="$(pgrep -f "chat-tui --tls --name [^ ]+ 127\.0\.0\.1 $port\$" || true)"
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086 # one PID per word
    kill -TERM $pids 2>/dev/null || true
    echo "Stopped $(echo "$pids" | wc -w) client(s) of port $port."
}

stop_server() {
    local port="$1" file pid
    file="$(pid_file "$port")"
    [ -f "$file" ] || return 0
    pid="$(cat "$file")"
    if is_our_server "$pid"; then
        kill -TERM "$pid"
        for _ in $(seq 100); do
            is_our_server "$pid" || break
            sleep 0.1
        done
        if is_our_server "$pid"; then
            kill -KILL "$pid"
            echo "Server on port $port did not stop in time; killed it (pid $pid)."
        else
            echo "Stopped the server on port $port (pid $pid)."
        fi
    fi
    rm -f "$file"
    stop_clients "$port"
}

stop_command() {
    parse_options "$@"
    if [ -n "$port_given" ]; then
        [ -f "$(pid_file "$port")" ] || { echo "No server started by run.sh on port $port."; return 0; }
        stop_server "$port"
        return 0
    fi
    local found=""
    for file in "$RUN_DIR"/chat-server-*.pid; do
        [ -e "$file" ] || continue
        found=1
        file="${file##*/chat-server-}"
        stop_server "${file%.pid}"
    done
    [ -n "$found" ] || echo "No server started by run.sh is running."
}

build() {
    command -v cargo >/dev/null \
        || fail "cargo not found; install Rust from https://rustup.rs and try again"
    echo "Building chat-server and chat-tui (release)..."
    (cd "$ROOT" && cargo build --release --locked -p chat-server -p chat-tui)
}

start_server() {
    mkdir -p "$RUN_DIR"
    local log pid
    log="$(log_file "$port")"
    : >"$log"
    nohup "$SERVER_BIN" "$port" --data-dir "$RUN_DIR/data-$port" >>"$log" 2>&1 &
    pid=$!
    echo "$pid" >"$(pid_file "$port")"
    for _ in $(seq 100); do
        grep -q "listening on" "$log" && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -f "$(pid_file "$port")"
    kill -TERM "$pid" 2>/dev/null || true
    fail "the server did not start; its log ($log) says: $(tail -n 3 "$log")"
}

# Makes the clients trust the certificate the server logged at startup (it generated
# it into its data folder), as a user who compared fingerprints would.
trust_the_server() {
    local fingerprint known_hosts
    fingerprint="$(sed -n 's/.*certificate fingerprint SHA256:\([0-9A-F:]*\).*/\1/p' \
        "$(log_file "$port")" | head -n 1)"
    [ -n "$fingerprint" ] || fail "the server logged no certificate fingerprint; see $(log_file "$port")"
    known_hosts="$(client_data_dir "$port")/chat-tui/known_hosts"
    mkdir -p "${known_hosts%/*}"
    (umask 077 && echo "127.0.0.1:$port $fingerprint" >"$known_hosts")
    echo "Clients trust the server's certificate SHA256:$fingerprint."
}

client_command() {
    local index="$1"
    printf '%q ' env "XDG_DATA_HOME=$(client_data_dir "$port")" \
        "$CLIENT_BIN" --tls --name "${NAMES[index - 1]}" 127.0.0.1 "$port"
}

have_display() {
    [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}

first_emulator() {
    local candidate
    for candidate in "${EMULATORS[@]}"; do
        if command -v "$candidate" >/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

open_in_gnome_terminal() {
    local i error
    for i in $(seq "$clients"); do
        if ! error="$(gnome-terminal --title="chat client $i (port $port)" -- \
            bash -c "$(client_command "$i")" 2>&1 >/dev/null)"; then
            echo "GNOME Terminal could not open a window: ${error:-no reason given}" >&2
            return 1
        fi
    done
    echo "Opened $clients GNOME Terminal windows."
}

open_in_emulator() {
    local emulator="$1" i title command
    for i in $(seq "$clients"); do
        title="chat client $i (port $port)"
        command="$(client_command "$i")"
        case "$emulator" in
            konsole) konsole -p "tabtitle=$title" -e bash -c "$command" ;;
            xfce4-terminal) xfce4-terminal --title="$title" -x bash -c "$command" ;;
            kitty) kitty --title "$title" bash -c "$command" ;;
            alacritty) alacritty --title "$title" -e bash -c "$command" ;;
            *) "$emulator" -T "$title" -e bash -c "$command" ;;
        esac >/dev/null 2>&1 &
    done
    echo "Opened $clients $emulator windows."
}

open_in_tmux() {
    local session="chat-$port" i
    if [ -n "${TMUX:-}" ]; then
        for i in $(seq "$clients"); do
            tmux new-window -n "client-$i" "$(client_command "$i")"
        done
        echo "Opened $clients tmux windows in this tmux session (client-1 ... client-$clients)."
        return 0
    fi
    tmux new-session -d -s "$session" -n "client-1" "$(client_command 1)"
    for i in $(seq 2 "$clients"); do
        tmux new-window -t "$session" -n "client-$i" "$(client_command "$i")"
    done
    echo "Opened $clients windows in tmux session '$session' (switch with Ctrl-b n)."
    if [ -t 0 ] && [ -t 1 ]; then
        tmux attach -t "$session"
    else
        echo "Attach with: tmux attach -t $session"
    fi
}

run_here() {
    echo "Running one client in this terminal; the server stops when it exits."
    trap 'stop_server "$port"' EXIT
    XDG_DATA_HOME="$(client_data_dir "$port")" \
        "$CLIENT_BIN" --tls --name "${NAMES[0]}" 127.0.0.1 "$port" \
        || echo "chat-tui exited with status $?."
}

choose_mode() {
    if [ "$mode" != auto ]; then
        echo "$mode"
    elif have_display && command -v gnome-terminal >/dev/null; then
        echo gnome
    elif have_display && first_emulator >/dev/null; then
        echo emulator
    else
        terminal_fallback
    fi
}

# Where clients go when no desktop terminal can be used.
terminal_fallback() {
    if command -v tmux >/dev/null; then echo tmux; else echo here; fi
}

# Opens the clients the chosen way; fails if that way could not open them.
launch() {
    case "$1" in
        gnome) open_in_gnome_terminal ;;
        emulator) open_in_emulator "$(first_emulator)" ;;
        tmux)
            echo "No desktop terminal used: opening the clients in tmux."
            open_in_tmux
            ;;
        here) run_here ;;
    esac
}

start_command() {
    parse_options "$@"
    if [ -f "$(pid_file "$port")" ] && is_our_server "$(cat "$(pid_file "$port")")"; then
        fail "a server started by run.sh is already running on port $port; stop it with: ./run.sh stop -p $port"
    fi
    port_in_use "$port" \
        && fail "port $port is already in use; choose another with -p PORT (or stop what uses it)"
    local chosen
    chosen="$(choose_mode)"
    case "$chosen" in
        gnome) command -v gnome-terminal >/dev/null || fail "gnome-terminal is not installed (try -m tmux)" ;;
        emulator) first_emulator >/dev/null || fail "no terminal emulator found (try -m tmux)" ;;
        tmux) command -v tmux >/dev/null || fail "tmux is not installed (try -m here)" ;;
    esac
    build
    start_server
    trust_the_server
    echo "Server listening on port $port (pid $(cat "$(pid_file "$port")"), log: $(log_file "$port"))."
    [ "$chosen" = here ] || echo "To stop everything: ./run.sh stop -p $port"
    launch "$chosen" && return 0
    if [ "$mode" = auto ] && [ "$chosen" != "$(terminal_fallback)" ]; then
        chosen="$(terminal_fallback)"
        echo "Falling back to: $chosen."
        launch "$chosen" && return 0
    fi
    stop_server "$port"
    fail "could not open the clients ($chosen)"
}

main() {
    if [ "${1:-}" = stop ]; then
        shift
        stop_command "$@"
    else
        start_command "$@"
    fi
}

main "$@"
