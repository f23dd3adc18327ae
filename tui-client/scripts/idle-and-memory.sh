#!/usr/bin/env bash
# Measures the release chat-tui from the outside, as BENCHMARKS.md ("Client") reports it,
# without instrumenting it:
#   - wake-ups while idle: voluntary + nonvoluntary context switches summed over
#     /proc/PID/task/*/status, before and after 10 s with nothing happening;
#   - memory: VmRSS and VmHWM just after joining, and with the scrollback full.
# The client runs in a 200x60 tmux window against a release chat-server on loopback
# (flood control off); a plain-mode connection fills the scrollback with messages of
# mixed lengths (some wrap, CJK, emoji).
#
# Usage: tui-client/scripts/idle-and-memory.sh [SCROLLBACK [MESSAGES]]
#   SCROLLBACK: the client's --scrollback (5000, its default)
#   MESSAGES:   messages sent to fill it (SCROLLBACK + 10%)
# PORT (7311) picks the server's port. Needs tmux.
set -euo pipefail
cd "$(dirname "$0")/../.."

scrollback=${1:-5000}
messages=${2:-$((scrollback + scrollback / 10))}
port=${PORT:-7311}
session=chat-tui-idle-$$

cargo build --release --quiet -p chat-server -p chat-tui
target/release/chat-server "$port" --bind 127.0.0.1 --flood-rate 0 >/dev/null 2>&1 &
server_pid=$!
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    kill "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Waits up to 60 s for a text to appear in the client's window.
wait_for_screen() {
    for _ in $(seq 600); do
        tmux capture-pane -p -t "$session" | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "timed out waiting for '$1' on the screen" >&2
    exit 1
}

for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

tmux new-session -d -s "$session" -x 200 -y 60 \
    "exec target/release/chat-tui 127.0.0.1 $port --name idler --scrollback $scrollback"
wait_for_screen "idler"
tmux send-keys -t "$session" Enter
wait_for_screen "Welcome, idler"
pid=$(tmux display-message -p -t "$session" '#{pane_pid}')

switches() {
    cat /proc/"$pid"/task/*/status | awk '/ctxt_switches/ { sum += $2 } END { print sum }'
}
memory() {
    awk '/^(VmRSS|VmHWM)/ { printf "%s %.1f MiB  ", $1, $2 / 1024 } END { print "" }' \
        /proc/"$pid"/status
}
# Each thread: id, context switches so far, and the kernel function it sleeps in.
threads() {
    for task in /proc/"$pid"/task/*; do
        printf '  thread %s: %s switches, sleeping in %s\n' "${task##*/}" \
            "$(awk '/ctxt_switches/ { sum += $2 } END { print sum }' "$task/status")" \
            "$(cat "$task/wchan")"
    done
}

sleep 2
echo "client pid $pid, $(awk '/^Threads/ { print $2 }' /proc/"$pid"/status) threads, --scrollback $scrollback"
echo "context switches per thread before the idle window:"
threads
before=$(switches)
sleep 10
after=$(switches)
echo "context switches per thread after:"
threads
echo "wake-ups in 10 s idle: $((after - before))"
echo "memory after joining:        $(memory)"

texts=(
    "ok"
    "lol 😂"
    "did anyone look at the build failure on main? it started after the last merge"
    "今天的会议改到下午三点，请大家准时参加。"
    "here is the long version, because the short one was misunderstood twice already: the cache keeps one entry per key, entries expire after ten minutes, and a miss goes to the database, which is the slow part we keep measuring 🙏"
    "👨‍👩‍👧 family photo time 🎉🎉🎉"
    "брб, через 5 минут вернусь"
    "alice: can you review my change when you have a minute? it touches the parser"
)
exec 3<>"/dev/tcp/127.0.0.1/$port"
cat <&3 >/dev/null &
reader_pid=$!
{
    echo filler
    for ((n = 0; n < messages; n++)); do
        printf '%s #%d\n' "${texts[n % ${#texts[@]}]}" "$n"
    done
    echo "filled with $messages"
} >&3
wait_for_screen "filled with $messages"
sleep 1
echo "memory with $messages received: $(memory)"
exec 3>&-
kill "$reader_pid" 2>/dev/null || true
