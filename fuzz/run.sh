#!/bin/sh
# Fuzzes load + validate + model (examples/fuzz_input.rs) for a fixed time:
#   fuzz/run.sh [SECONDS] [SEED]
# Exits 1 when an input panicked; the inputs are in fuzz/crashes/.
set -eu
cd "$(dirname "$0")/.."
secs="${1:-60}"
seed="${2:-$(date +%s)}"
cargo build --quiet --example fuzz_input
exec nice -n 19 target/debug/examples/fuzz_input "$secs" "$seed"
