#!/usr/bin/env bash
# Build benchmark: generates the synthetic corpora of gen_corpus.py, builds
# each with the release binary, and prints reports, pages, charts, bytes,
# wall time, peak memory, the time of each stage (from `build --timings`),
# the I/O floor (reading every input, writing as many bytes as the build),
# the ratio to Hugo building the same corpus's agency/year/indicator pages
# (hugo_twin.py), measured alternately in the same run, and the time of the
# incremental rebuild after one report is edited (as `serve` does it).
#
#   benches/bench.sh [small|province|national ...]     (default: small province)
#
# Each corpus is built RUNS times (default 3; 1 for national) and the run of
# median wall time is shown, beside the median of as many I/O floors: a
# virtual machine's neighbours and the file system's background work after a
# large deletion make single runs of a few seconds vary by half. Last, the
# corpus is built once more into the same output (a rebuild).
#
# Needs python3 and /usr/bin/time (Debian package `time`); installs Hugo and
# PyYAML (for the twin) from Debian when they are missing. The generator is
# ../shared/bench/gen_corpus.py beside the repository (or $GEN_CORPUS), the
# Hugo twin ../shared/bench/hugo_twin.py (or $HUGO_TWIN).
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(small province)
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
[ -f "$gen" ] || { echo "gen_corpus.py not found at $gen (set GEN_CORPUS)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }
twin=${HUGO_TWIN:-$(dirname "$gen")/hugo_twin.py}
[ -f "$twin" ] || { echo "hugo_twin.py not found at $twin (set HUGO_TWIN)" >&2; exit 2; }
need=()
command -v hugo >/dev/null || need+=(hugo)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
work=${BENCH_DIR:-target/bench}
# Earlier outputs are moved aside and deleted only at the end: files created
# right after a mass deletion are slow on ext4 without a journal, and that
# would be measured as the build's time.
trash="$work/trash"
mkdir -p "$work" "$trash"
aside() { [ ! -e "$1" ] || mv "$1" "$trash/$(basename "$1").$$.$RANDOM"; }
cargo build --release --quiet --bin minhbach --example incremental
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
  hugo_src="$work/hugo-$p"
  [ -f "$hugo_src/config.yaml" ] || python3 "$twin" "$root" "$hugo_src" >/dev/null
  hugo_out="$work/hugo-out-$p"
  walls=(); floors=(); hugos=()
  for r in $(seq 1 "$runs"); do
    aside "$out"
    log="$work/build-$p-$r.log"
    /usr/bin/time -v "$bin" build --root "$root" --output "$out" --timings >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    walls+=("$(wall_of "$log")")
    # Hugo right after, on the same corpus: the two see the same machine.
    aside "$hugo_out"
    hlog="$work/hugo-$p-$r.log"
    /usr/bin/time -v hugo --source "$hugo_src" --destination "$(cd "$work" && pwd)/hugo-out-$p" --quiet >"$hlog" 2>&1 || { cat "$hlog" >&2; exit 1; }
    hugos+=("$(wall_of "$hlog")")
    aside "$work/floor-$p"
    floors+=("$(python3 benches/io_floor.py "$root" "$out" "$work/floor-$p" | awk '{print $1}')")
  done
  # Once more into the same output: a rebuild, as after a correction.
  relog="$work/rebuild-$p.log"
  /usr/bin/time -v "$bin" build --root "$root" --output "$out" --timings >"$relog" 2>&1 || { cat "$relog" >&2; exit 1; }
  rebuild=$(wall_of "$relog")
  # One report edited, rebuilt in memory as `serve` does (no full builds).
  inc=$(target/release/examples/incremental "$root" --no-full)
  edit=$(printf '%s\n' "$inc" | awk -F': *' '/^incremental rebuild/ {print $2}')
  # What a `serve` user waits for: the pages; the open-data files follow.
  first=$(printf '%s\n' "$inc" | sed -n 's/^pages first: *//p')
  m=$(median_index "${walls[@]}")
  log="$work/build-$p-$((m + 1)).log"
  wall=${walls[$m]}
  floor=${floors[$(median_index "${floors[@]}")]}
  hugo=${hugos[$(median_index "${hugos[@]}")]}
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
  printf '%-9s   hugo (same corpus, alternated): %s s (runs %s s); wall / hugo = %s; wall / I/O floor = %s\n' "" \
    "$hugo" "${hugos[*]}" "$(awk -v a="$wall" -v b="$hugo" 'BEGIN {printf "%.2f", a / b}')" \
    "$(awk -v a="$wall" -v b="$floor" 'BEGIN {printf "%.2f", a / b}')"
  printf '%-9s   one report edited, pages and open data at once: %s\n' "" "$edit"
  printf '%-9s   the same as serve does it: %s\n' "" "$first"
  chart_line=$(grep 'charts, median' "$log" | sed 's/^timing: //')
  [ -z "$chart_line" ] || printf '%-9s   %s\n' "" "$chart_line"
  printf '%-9s   peak MiB after each stage: %s\n' "" "$peaks"
done
rm -rf "$trash"
