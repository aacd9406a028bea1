#!/usr/bin/env bash
# Benchmark: the cost of a scoring rubric on the `--preset province` corpus
# (250 agencies x 5 years). The corpus has no rubric; two copies get one
# (benches/rubric_corpus.py: 24 criteria of every rule kind, self-assessed
# points as the figures give them, one criterion in 20 off by a point):
#   latest  the rubric scores the latest year (250 reports), as a province's
#           rubric, issued for one year, does;
#   all     the same rubric scores all five years (1,250 reports): a worst case.
# The three are built RUNS times (default 5), interleaved, with the release
# binary; prints each run's wall time and stages, the medians and the ratios
# to the corpus without a rubric. Not a test.
#
#   benches/rubric.sh [GEN_CORPUS]    (default: ../shared/bench/gen_corpus.py)
set -euo pipefail
cd "$(dirname "$0")/.."
gen="${1:-../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
runs=${RUNS:-5}
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet
bin=target/release/minhbach
python3 "$gen" "$dir/plain" --preset province >/dev/null
for kind in latest all; do
  cp -r "$dir/plain" "$dir/$kind"
  python3 benches/rubric_corpus.py "$dir/$kind" $([ "$kind" = latest ] && echo --latest)
  "$bin" build --quiet --root "$dir/$kind" --output "$dir/out-$kind" >/dev/null 2>&1 || true
  python3 benches/rubric_corpus.py "$dir/$kind" "$dir/out-$kind/data/scores.csv"
done
declare -A walls
for r in $(seq 1 "$runs"); do
  for kind in plain latest all; do
    rm -rf "$dir/out-$kind"
    start=$(date +%s.%N)
    "$bin" build --quiet --timings --root "$dir/$kind" --output "$dir/out-$kind" >"$dir/log-$kind" 2>&1 || { cat "$dir/log-$kind" >&2; exit 1; }
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc)
    stages=$(grep -E '^timing: +(validate|model|publish|render) ' "$dir/log-$kind" | awk '{printf "%s %s ms  ", $2, $3}')
    printf 'run %d %-6s wall %6.2f s  %s\n' "$r" "$kind" "$wall" "$stages"
    walls[$kind]="${walls[$kind]:-} $wall"
  done
done
median() { printf '%s\n' $@ | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
mp=$(median ${walls[plain]})
for kind in latest all; do
  m=$(median ${walls[$kind]})
  printf '%-6s median wall %.2f s vs %.2f s without a rubric: ratio %.3f (%+.1f %%), output %s vs %s KiB\n' \
    "$kind" "$m" "$mp" "$(echo "$m / $mp" | bc -l)" "$(echo "($m / $mp - 1) * 100" | bc -l)" \
    "$(du -sk "$dir/out-$kind" | cut -f1)" "$(du -sk "$dir/out-plain" | cut -f1)"
done
