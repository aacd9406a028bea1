#!/usr/bin/env bash
# Builds the bundled sample site and checks every page of every language:
#   - valid HTML: the Nu HTML Checker (npm vnu-jar) finds 0 errors;
#   - WCAG 2.1 AA: axe-core in headless Chromium (npm playwright-core driving
#     Debian's chromium) finds 0 violations, and no page requests another
#     host, breaks its Content-Security-Policy or throws a script error;
#   - what the script does for readers (search, compare, filters, sorting)
#     and the same pages without JavaScript;
#   - at 360 px (phone.mjs): no sideways scrolling, charts that fit with
#     text >= 11 px, controls >= 24 px, sticky row headings, <= 3,000 elements;
#   - the Atom feeds and the search indexes parse.
# Installs what it needs: Java and Chromium from Debian when missing, the
# npm packages pinned in package-lock.json.
#
#   tests/web/check.sh            # builds into target/web-site
#   SITE=DIR tests/web/check.sh   # checks a site already built in DIR
#   SHOTS=DIR tests/web/check.sh  # also takes screenshots into DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "== apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

echo "== npm ci (vnu-jar, axe-core, playwright-core)"
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; the
# machine's Java runs the checker.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

if [ -z "${SITE:-}" ]; then
  SITE="$root/target/web-site"
  echo "== build the sample site into $SITE"
  (cd "$root" && cargo run --quiet -- build --output "$SITE" --quiet)
fi

echo "== feeds and search indexes"
python3 - "$SITE" <<'PY'
import json, pathlib, sys, xml.etree.ElementTree as ET
site = pathlib.Path(sys.argv[1])
feeds = sorted(site.glob("**/feed.xml"))
indexes = sorted(site.glob("search-index.*.json"))
assert feeds and indexes, "no feed or no search index"
for f in feeds:
    entries = ET.parse(f).getroot().findall("{http://www.w3.org/2005/Atom}entry")
    assert entries, f"{f}: no entry"
    print(f"{f.relative_to(site)}: {len(entries)} entries")
for i in indexes:
    print(f"{i.relative_to(site)}: {len(json.loads(i.read_text())['entries'])} entries")
PY

echo "== Nu HTML Checker"
vnu_out="$(mktemp)"
if java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$SITE" >"$vnu_out" 2>&1; then
  echo "vnu: $(find "$SITE" -name '*.html' | wc -l) files, 0 errors"
else
  cat "$vnu_out"
  echo "vnu: $(grep -c ': error:' "$vnu_out" || true) errors"
  exit 1
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$SITE" "$port" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port/"
for _ in $(seq 50); do
  curl -fs -o /dev/null "$base" 2>/dev/null && break
  python3 -c 'import urllib.request, sys; urllib.request.urlopen(sys.argv[1])' "$base" 2>/dev/null && break
  sleep 0.2
done

pages="$(mktemp)"
(cd "$SITE" && find . -name '*.html' | sed 's|^\./||' | LC_ALL=C sort) >"$pages"
# The pages with what the script does to them.
cat >>"$pages" <<'URLS'
compare/?a=so-ngoai-vu&a=so-y-te&a=thanh-pho-mau-son
en/compare/?a=so-ngoai-vu&a=so-y-te
search/?q=so+ngoai+vu
en/search/?q=ky+so
URLS

echo "== axe-core over $(wc -l <"$pages") addresses"
node axe.mjs "$base" "$pages"

echo "== behaviour"
node behaviour.mjs "$base"

echo "== phones (360 px, with and without JavaScript)"
node phone.mjs "$base" "" agencies/so-ngoai-vu/ years/ years/2023/ indicators/dvctt_uptake/ \
  indicators/has_cio/ compare/ "compare/?a=so-ngoai-vu&a=so-y-te" search/ "search/?q=ky+so" data/ \
  gioi-thieu/ en/ en/agencies/so-y-te/ en/years/2023/ en/compare/

# The province corpus (250 agencies, a cohort of 217 communes), when its
# generator is at hand: the same phone rules on every kind of its pages.
gen="${GEN:-$root/../shared/bench/gen_corpus.py}"
if [ -f "$gen" ] && [ -z "${NO_PROVINCE:-}" ]; then
  echo "== phones (360 px): the province corpus"
  prov="$root/target/web-province"
  [ -d "$prov-root" ] || python3 "$gen" --preset province "$prov-root" >/dev/null
  (cd "$root" && cargo run --quiet -- build --root "$prov-root" --output "$prov" --quiet)
  pport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  python3 -m http.server --bind 127.0.0.1 --directory "$prov" "$pport" >/dev/null 2>&1 &
  pserver=$!
  trap 'kill "$server" "$pserver" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    python3 -c 'import urllib.request, sys; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$pport/" 2>/dev/null && break
    sleep 0.2
  done
  node phone.mjs "http://127.0.0.1:$pport/" "" agencies/t01-xa-001/ years/ years/2023/ years/2023/t01-xa/ \
    indicators/dvctt_uptake/t01-xa/ indicators/has_cio/t01-xa/ compare/t01-xa/ \
    "compare/t01-xa/?a=t01-xa-001&a=t01-xa-002" search/ agencies/cohort/t01-xa/ en/years/2023/t01-xa/
else
  echo "== phones: the province corpus skipped (no generator at $gen; set GEN)"
fi

if [ -n "${SHOTS:-}" ]; then
  echo "== screenshots into $SHOTS"
  node screenshots.mjs "$base" "$SHOTS"
fi
echo "web checks passed"
