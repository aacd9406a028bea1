#!/usr/bin/env bash
# Benchmark: Lighthouse (npm lighthouse, pinned in tests/web/lighthouse) on
# Debian's chromium, mobile with default throttling, every kind of page of
# the bundled sample site and of the province corpus
# (../shared/bench/gen_corpus.py --preset province: 250 agencies, cohorts of
# 21, 12 and 217), each served gzipped. Prints one JSON line per page:
# performance, accessibility, best practices and SEO scores, elements,
# total blocking time and HTML bytes. Then checks the 360 px rules
# (phone.mjs) on the province pages. Performance moves with the load of the
# machine; elements and bytes do not.
#
#   tests/web/lighthouse.sh                 # both corpora
#   CORPORA=sample tests/web/lighthouse.sh  # one
#   GEN=path/to/gen_corpus.py               # where the corpus generator is
# Takes about 20 s a page: too long for CI, a benchmark.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${WORK:-$root/target/lighthouse}"
gen="${GEN:-$root/../shared/bench/gen_corpus.py}"
mkdir -p "$work"

command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
(cd "$here/lighthouse" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
bin="${BIN:-$root/target/release/minhbach}"
[ -x "$bin" ] || (cd "$root" && cargo build --release --quiet)

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null || true' EXIT
serve() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  python3 "$here/gzip_server.py" "$1" "$port" &
  server=$!
  for _ in $(seq 50); do
    python3 -c 'import urllib.request, sys; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$port/" 2>/dev/null && break
    sleep 0.2
  done
}
base="http://127.0.0.1:$port/"

for corpus in ${CORPORA:-sample province}; do
  case "$corpus" in
    sample)
      "$bin" build --output "$work/sample" --quiet
      site="$work/sample"
      pages=("" agencies/so-ngoai-vu/ years/ years/2023/ indicators/dvctt_uptake/ indicators/has_cio/
             compare/ "compare/?a=so-ngoai-vu&a=so-y-te" search/ "search/?q=ky+so" data/ gioi-thieu/
             en/ en/agencies/so-y-te/ en/years/2023/)
      ;;
    province)
      [ -d "$work/province-root" ] || python3 "$gen" --preset province "$work/province-root" >/dev/null
      "$bin" build --root "$work/province-root" --output "$work/province" --quiet
      site="$work/province"
      pages=("" agencies/t01-xa-001/ years/ years/2023/ years/2023/t01-xa/ indicators/dvctt_uptake/
             indicators/dvctt_uptake/t01-xa/ indicators/has_cio/t01-xa/ compare/ compare/t01-xa/
             "compare/t01-xa/?a=t01-xa-001&a=t01-xa-002" search/ "search/?q=xa+so+1" data/ agencies/cohort/t01-xa/
             en/ en/years/2023/t01-xa/)
      ;;
  esac
  serve "$site"
  echo "== lighthouse: $corpus"
  (cd "$here/lighthouse" && nice node run.mjs "$base" "${pages[@]}")
  echo "== 360 px rules: $corpus"
  (cd "$here" && node phone.mjs "$base" "${pages[@]}")
done
