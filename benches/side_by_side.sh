#!/usr/bin/env bash
# Two minhbach binaries (before and after a change) and Hugo on the same
# corpus, alternated run by run, so that all three see the same machine:
# prints each run's wall time, user+system CPU, user CPU and peak memory,
# then the ranges. System time follows the file system's state (files
# created just after a mass deletion are slow): compare user time when the
# two differ only in computation.
#
#   benches/side_by_side.sh BIN_BEFORE BIN_AFTER SITE_ROOT HUGO_TWIN_DIR [RUNS]
#
# HUGO_TWIN_DIR is made by ../shared/bench/hugo_twin.py SITE_ROOT DIR
# (benches/bench.sh makes it as target/bench/hugo-<preset>).
set -euo pipefail
a=${1:?usage: side_by_side.sh BIN_BEFORE BIN_AFTER SITE_ROOT HUGO_TWIN_DIR [RUNS]}
b=${2:?}; root=${3:?}; twin=${4:?}; runs=${5:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { # label, command...: prints "label wall_s cpu_s"
  local label=$1; shift
  /usr/bin/time -v "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  awk -v l="$label" -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); w=(n==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]}
    /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {m=$2}
    END {printf "%-7s %8.2f %8.2f %8.0f %8.2f\n", l, w, u+s, m/1024, u}' "$work/log"
}
printf '%-7s %8s %8s %8s %8s\n' what wall_s cpu_s peak_MiB user_s
for r in $(seq 1 "$runs"); do
  measure before "$a" build --root "$root" --output "$work/a$r" --quiet
  measure after "$b" build --root "$root" --output "$work/b$r" --quiet
  measure hugo hugo --source "$twin" --destination "$work/h$r" --quiet
done | tee "$work/all"
range_of() { # column: "min–max (median m)" of the values in that column
  sort -n | awk '{v[NR]=$1} END {printf "%.2f–%.2f (median %.2f)", v[1], v[NR], v[int((NR+1)/2)]}'
}
for l in before after hugo; do
  printf '%-7s wall %s s, cpu %s s, user %s s\n' "$l" \
    "$(awk -v l="$l" '$1 == l {print $2}' "$work/all" | range_of)" \
    "$(awk -v l="$l" '$1 == l {print $3}' "$work/all" | range_of)" \
    "$(awk -v l="$l" '$1 == l {print $5}' "$work/all" | range_of)"
done
