#!/usr/bin/env bash
# Profile of one build with Linux `perf` (DWARF call graphs, 49 Hz or
# $PERF_FREQ; little overhead), summarised by pipeline component (benches/perf_breakdown.py).
#
#   benches/profile.sh SITE_ROOT [OUTPUT_DIR]     (default output: a temporary folder)
#
# Needs `perf` (Debian: linux-perf). The release profile keeps debug
# information, so the stacks are named. Build into a folder that does not
# exist yet: files created just after a large deletion are slow on ext4
# without a journal, and that shows as kernel time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:?usage: benches/profile.sh SITE_ROOT [OUTPUT_DIR]}
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 2; }
work=$(mktemp -d)
out=${2:-$work/out}
cargo build --release --quiet
perf record -q -F "${PERF_FREQ:-49}" --call-graph dwarf,32768 -o "$work/perf.data" \
  target/release/minhbach build --root "$root" --output "$out" --quiet
perf script -i "$work/perf.data" -F comm,ip,sym,dso 2>/dev/null >"$work/perf.txt"
python3 benches/perf_breakdown.py "$work/perf.txt"
[ -n "${2:-}" ] || rm -rf "$out"
echo "perf data: $work/perf.data (perf report -i $work/perf.data)"
