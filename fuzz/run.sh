#!/usr/bin/env bash
# Runs one cargo-fuzz target for a while on the stable toolchain.
#
# Usage: fuzz/run.sh TARGET [SECONDS] [LIBFUZZER_ARGS...]
#   TARGET   frame_decoder, history_frames or plain_parser (see fuzz/Cargo.toml)
#   SECONDS  how long to fuzz, 60 by default
# Installs cargo-fuzz if it is missing. cargo-fuzz needs nightly-only compiler flags, so
# the build runs with RUSTC_BOOTSTRAP=1. A dictionary fuzz/TARGET.dict, when there is one,
# gives the fuzzer the words of the input's grammar. Crashing inputs land in
# fuzz/artifacts/TARGET/; the final "Done N runs" line gives the number of executions.
set -euo pipefail
cd "$(dirname "$0")"

if [[ $# -lt 1 ]]; then
    echo "usage: $0 TARGET [SECONDS] [LIBFUZZER_ARGS...]" >&2
    exit 2
fi
target=$1
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

if [[ -f "$target.dict" ]]; then
    set -- -dict="$PWD/$target.dict" "$@"
fi

RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$target" -- -max_total_time="$seconds" "$@"
