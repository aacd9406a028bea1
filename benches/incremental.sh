#!/usr/bin/env bash
# Benchmark: full build vs. incremental rebuild after editing one report, on
# the `--preset province` corpus (250 agencies x 5 years), all at once and
# pages first (the time until `serve` shows the edit). Not a test.
#
#   benches/incremental.sh [GEN_CORPUS]    (default: ../shared/bench/gen_corpus.py)
set -euo pipefail
cd "$(dirname "$0")/.."
gen="${1:-../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 "$gen" "$dir/province" --preset province >/dev/null
cargo run --quiet --release --example incremental -- "$dir/province"
