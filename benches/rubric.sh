#!/usr/bin/env bash
# Benchmark: the cost of a scoring rubric on the `--preset province` corpus
# (250 agencies x 5 years). The corpus has no rubric: a copy gets one
# (benches/rubric_corpus.py: 24 criteria of every rule kind, self-assessed
# points in all 1,250 reports, one in 20 differing from the figures). Both are built RUNS times (default 5),
# alternately, with the release binary; prints each run's wall time and
# stage times, the medians and their ratio. Not a test.
#
#   benches/rubric.sh [GEN_CORPUS]    (default: ../shared/bench/gen_corpus.py)
set -euo pipefail
cd "$(dirname "$0")/.."
gen="${1:-../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || gen=/work/shared/bench/gen_corpus.py
runs=${RUNS:-5}
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 "$gen" "$dir/plain" --preset province >/dev/null
cp -r "$dir/plain" "$dir/rubric"
python3 benches/rubric_corpus.py "$dir/rubric"
cargo build --release --quiet
bin=target/release/minhbach
# Self-assessed points as the figures give them (one in 20 off by a point).
"$bin" build --quiet --root "$dir/rubric" --output "$dir/out-rubric" >/dev/null 2>&1 || true
python3 benches/rubric_corpus.py "$dir/rubric" "$dir/out-rubric/data/scores.csv"
walls_plain=(); walls_rubric=()
for r in $(seq 1 "$runs"); do
  for kind in plain rubric; do
    rm -rf "$dir/out-$kind"
    start=$(date +%s.%N)
    "$bin" build --quiet --timings --root "$dir/$kind" --output "$dir/out-$kind" >"$dir/log-$kind" 2>&1 || { cat "$dir/log-$kind" >&2; exit 1; }
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc)
    stages=$(grep -Eo '(load|validate|model|render|publish|write)[^,;]*[0-9.]+ ?m?s' "$dir/log-$kind" | tr '\n' ' ' || true)
    printf 'run %d %-6s wall %6.2f s  %s\n' "$r" "$kind" "$wall" "$stages"
    if [ "$kind" = plain ]; then walls_plain+=("$wall"); else walls_rubric+=("$wall"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
mp=$(median "${walls_plain[@]}"); mr=$(median "${walls_rubric[@]}")
echo "files: plain $(find "$dir/out-plain" -type f | wc -l), rubric $(find "$dir/out-rubric" -type f | wc -l)"
printf 'median wall: plain %.2f s, with rubric %.2f s, ratio %.3f (+%.1f %%)\n' "$mp" "$mr" "$(echo "$mr / $mp" | bc -l)" "$(echo "($mr / $mp - 1) * 100" | bc -l)"
