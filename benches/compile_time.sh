#!/usr/bin/env bash
# Clean-build cost of two commits, side by side in one run: each commit is
# exported (`git archive`) to a fresh folder and built from nothing into its
# own target folder, release then debug, alternating the commits. Prints per
# build: wall time, user+system CPU (the figure that survives a shared
# machine's noise), the number of crates compiled and the binary's size.
#
#   benches/compile_time.sh BEFORE AFTER [WORK_DIR]    (default WORK_DIR: target/compile-time)
#
# Needs /usr/bin/time (Debian package `time`); the crates must be in cargo's
# cache or reachable on crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: benches/compile_time.sh BEFORE AFTER [WORK_DIR]}
after=${2:?usage: benches/compile_time.sh BEFORE AFTER [WORK_DIR]}
work=${3:-target/compile-time}
rm -rf "$work"; mkdir -p "$work"
work=$(cd "$work" && pwd)
for rev in "$before" "$after"; do
  mkdir -p "$work/src-$rev"
  git archive "$rev" | tar -x -C "$work/src-$rev"
done
printf '%-8s %-12s %8s %10s %7s %10s\n' profile commit wall_s cpu_s crates binary_MB
for profile in release debug; do
  flag=$([ "$profile" = release ] && echo --release || true)
  for rev in "$before" "$after"; do
    log="$work/$profile-$rev.log"
    (cd "$work/src-$rev" && CARGO_TARGET_DIR="$work/target-$profile-$rev" \
      /usr/bin/time -v cargo build $flag --locked 2>"$log") || { cat "$log" >&2; exit 1; }
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.0f", u+s}' "$log")
    crates=$(grep -c '^ *Compiling ' "$log")
    size=$(stat -c %s "$work/target-$profile-$rev/$profile/minhbach" | awk '{printf "%.1f", $1/1e6}')
    printf '%-8s %-12s %8s %10s %7s %10s\n' "$profile" "$rev" "$wall" "$cpu" "$crates" "$size"
    rm -rf "$work/target-$profile-$rev"
  done
done
