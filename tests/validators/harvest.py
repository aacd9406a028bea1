"""Harvests a built site's catalogue the way a stock CKAN does, and checks
what CKAN would get.

ckanext-dcat's own RDFParser (the one its DCAT harvester uses, with the
default euro_dcat_ap_3 profile and CKAN's default licence register and
resource formats) parses data/catalog.ttl and data/catalog.jsonld from
their text, without a base IRI, as a harvester that fetched them would.
Every dataset dict must then be usable on a stock CKAN:

- each resource's format is the plain CKAN format (CSV, XLSX, JSON, ZIP)
  that XLoader, DataPusher and the previews look for, and its mimetype a
  plain media type, not a URI;
- the licence is one CKAN knows (license_id);
- the title is the English one (CKAN's default locale), the notes are
  there, the identifier is stable and unique, issued/modified are set;
- the contact point comes from site.yaml's publisher;
- with an absolute base_url, each resource's URL is the file's address
  under it, and the file there has the size and SHA-256 the catalogue
  gives; with a relative one, no URL at all resolves to file://.

Usage: python harvest.py DATA_DIR [--base-url URL] [--license CKAN_ID]
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

from ckanext.dcat.processors import RDFParser

FORMATS = {
    ".csv": ("CSV", "text/csv"),
    ".json": ("JSON", "application/json"),
    ".xlsx": (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ".zip": ("ZIP", "application/zip"),
}


def harvest(path: Path, fmt: str) -> list:
    parser = RDFParser()
    parser.parse(path.read_text(encoding="utf-8"), _format=fmt)
    return list(parser.datasets())


def extras(dataset: dict) -> dict:
    return {e["key"]: e["value"] for e in dataset.get("extras", [])}


def check(datasets: list, data: Path, base: str, license_id: str, source: str) -> None:
    def fail(msg: str) -> None:
        sys.exit(f"{source}: {msg}")

    if len(datasets) < 2:
        fail(f"{len(datasets)} datasets: the bundle and one per year expected")
    dump = json.dumps(datasets, ensure_ascii=False)
    if "file:" in dump:
        fail("an address resolved to file:// (a relative IRI in the catalogue)")
    identifiers = set()
    titles = set()
    for d in datasets:
        ex = extras(d)
        title = d.get("title", "")
        if not title or not title.isascii() and not title.replace("–", "-").isascii():
            fail(f"title {title!r}: CKAN (locale en) should get the English title")
        titles.add(title)
        if not d.get("notes"):
            fail(f"{title}: no description")
        if d.get("license_id") != license_id:
            fail(f"{title}: license_id {d.get('license_id')!r}, expected {license_id!r}")
        ident = ex.get("identifier", "")
        if not ident or ident in identifiers:
            fail(f"{title}: identifier {ident!r} missing or repeated")
        identifiers.add(ident)
        for key in ("issued", "modified", "contact_name", "publisher_name"):
            if not ex.get(key):
                fail(f"{title}: no {key}")
        if ex["issued"] > ex["modified"]:
            fail(f"{title}: issued {ex['issued']} after modified {ex['modified']}")
        resources = d.get("resources", [])
        if not resources:
            fail(f"{title}: no resources")
        for r in resources:
            name = r.get("name", "")
            suffix = Path(name).suffix
            if suffix not in FORMATS:
                fail(f"{name}: not a file of the bundle")
            want_format, want_type = FORMATS[suffix]
            if r.get("format") != want_format or r.get("mimetype") != want_type:
                fail(
                    f"{name}: format {r.get('format')!r} mimetype {r.get('mimetype')!r}, "
                    f"expected {want_format!r} {want_type!r}"
                )
            body = (data / name).read_bytes()
            if r.get("size") != len(body):
                fail(f"{name}: size {r.get('size')} but the file has {len(body)} bytes")
            if r.get("hash") != hashlib.sha256(body).hexdigest():
                fail(f"{name}: the catalogue's SHA-256 is not the file's")
            if base:
                url = base + "data/" + name
                if r.get("url") != url or r.get("download_url") != url:
                    fail(f"{name}: url {r.get('url')!r}, expected {url!r}")
            elif r.get("download_url"):
                fail(f"{name}: a download URL {r['download_url']!r} from a relative base_url")
    if len(titles) != len(datasets):
        fail(f"two datasets share a title: {sorted(titles)}")


def summary(datasets: list) -> list:
    """What a harvester keeps, to compare the two serialisations."""
    out = []
    for d in datasets:
        out.append(
            (
                d.get("title"),
                d.get("license_id"),
                extras(d).get("identifier"),
                sorted(
                    (r.get("name"), r.get("format"), r.get("url"), r.get("hash"))
                    for r in d.get("resources", [])
                ),
            )
        )
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--base-url", default="", help="the absolute base_url of the build")
    ap.add_argument("--license", default="cc-by", help="the CKAN licence id expected")
    args = ap.parse_args()
    base = args.base_url
    if base and not base.endswith("/"):
        base += "/"
    results = {}
    for name, fmt in (("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")):
        datasets = harvest(args.data / name, fmt)
        check(datasets, args.data, base, args.license, f"{args.data / name}")
        results[name] = summary(datasets)
    if results["catalog.ttl"] != results["catalog.jsonld"]:
        sys.exit("catalog.ttl and catalog.jsonld give different CKAN datasets")
    n = sum(len(s[3]) for s in results["catalog.ttl"])
    print(
        f"ckanext-dcat harvest of {args.data}: {len(results['catalog.ttl'])} datasets, "
        f"{n} resources, formats, licence, titles and "
        + ("download URLs" if base else "no file:// address")
        + " as CKAN needs them"
    )


if __name__ == "__main__":
    main()
