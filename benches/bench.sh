#!/usr/bin/env bash
# Build benchmark: generates the synthetic corpora of gen_corpus.py, builds
# each with the release binary, and prints reports, pages, charts, bytes,
# wall time, peak memory, the time of each stage (from `build --timings`) and
# the I/O floor (reading every input, writing as many bytes as the build).
#
#   benches/bench.sh [small|province|national ...]     (default: small province)
#
# Each corpus is built RUNS times (default 3; 1 for national) and the run of
# median wall time is shown, beside the median of as many I/O floors: a
# virtual machine's neighbours and the file system's background work after a
# large deletion make single runs of a few seconds vary by half. Last, the
# corpus is built once more into the same output (a rebuild).
#
# Needs python3 and /usr/bin/time (Debian package `time`). The generator is
# ../shared/bench/gen_corpus.py beside the repository (or $GEN_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(small province)
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
[ -f "$gen" ] || { echo "gen_corpus.py not found at $gen (set GEN_CORPUS)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }
work=${BENCH_DIR:-target/bench}
# Earlier outputs are moved aside and deleted only at the end: files created
# right after a mass deletion are slow on ext4 without a journal, and that
# would be measured as the build's time.
trash="$work/trash"
mkdir -p "$work" "$trash"
aside() { [ ! -e "$1" ] || mv "$1" "$trash/$(basename "$1").$$.$RANDOM"; }
cargo build --release --quiet
bin=target/release/minhbach

printf '%-9s %8s %7s %7s %11s %9s %9s %9s  %s\n' preset reports pages charts bytes wall_s peak_MiB floor_s stages_ms
wall_of() { # the wall time, in seconds, of a `/usr/bin/time -v` log
  grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'
}
median_index() { # prints the index of the median of its numeric arguments
  local i=0; for v in "$@"; do echo "$v $i"; i=$((i + 1)); done | sort -n | awk '{a[NR]=$2} END {print a[int((NR + 1) / 2)]}'
}
for p in "${presets[@]}"; do
  root="$work/corpus-$p"
  [ -f "$root/site.yaml" ] || python3 "$gen" "$root" --preset "$p" >/dev/null
  runs=${RUNS:-$([ "$p" = national ] && echo 1 || echo 3)}
  out="$work/out-$p"
  walls=(); floors=()
  for r in $(seq 1 "$runs"); do
    aside "$out"
    log="$work/build-$p-$r.log"
    /usr/bin/time -v "$bin" build --root "$root" --output "$out" --timings >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    walls+=("$(wall_of "$log")")
    aside "$work/floor-$p"
    floors+=("$(python3 benches/io_floor.py "$root" "$out" "$work/floor-$p" | awk '{print $1}')")
  done
  # Once more into the same output: a rebuild, as after a correction.
  relog="$work/rebuild-$p.log"
  /usr/bin/time -v "$bin" build --root "$root" --output "$out" --timings >"$relog" 2>&1 || { cat "$relog" >&2; exit 1; }
  rebuild=$(wall_of "$relog")
  m=$(median_index "${walls[@]}")
  log="$work/build-$p-$((m + 1)).log"
  wall=${walls[$m]}
  floor=${floors[$(median_index "${floors[@]}")]}
  reports=$(find "$root/data/reports" -name '*.yaml' | wc -l)
  summary=$(grep '^built ' "$log")
  pages=$(echo "$summary" | sed -E 's/built ([0-9]+) pages.*/\1/')
  charts=$(echo "$summary" | sed -E 's/.* ([0-9]+) charts.*/\1/')
  bytes=$(du -sb "$out" | awk '{print $1}')
  peak=$(grep 'Maximum resident set size' "$log" | awk '{printf "%.0f", $NF/1024}')
  stages=$(grep -E '^timing: [a-z]+ +[0-9.]+ ms' "$log" | awk '{printf "%s=%.0f ", $2, $3}')
  peaks=$(grep -E '^memory: peak after' "$log" | awk '{printf "%s=%s ", $4, $5}')
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "user %.2f s, system %.2f s", u, s}' "$log")
  printf '%-9s %8s %7s %7s %11s %9s %9s %9s  %s\n' "$p" "$reports" "$pages" "$charts" "$bytes" "$wall" "$peak" "$floor" "$stages"
  printf '%-9s   %s run(s), wall %s s; floors %s s; %s (median run)\n' "" "$runs" "${walls[*]}" "${floors[*]}" "$cpu"
  printf '%-9s   rebuild into the same output, nothing changed: %s s\n' "" "$rebuild"
  chart_line=$(grep 'charts, median' "$log" | sed 's/^timing: //')
  [ -z "$chart_line" ] || printf '%-9s   %s\n' "" "$chart_line"
  printf '%-9s   peak MiB after each stage: %s\n' "" "$peaks"
done
rm -rf "$trash"
