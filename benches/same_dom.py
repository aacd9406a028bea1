#!/usr/bin/env python3
"""Do two builds' HTML pages say the same thing? Compares every page of
OLD with the page at the same path in NEW as a stream of parsed tokens
(Python's html.parser: tags with their attributes as a set, entities
decoded, a class attribute's spaces collapsed), so quoting, attribute
order and entity spelling do not count.

    benches/same_dom.py OLD_SITE NEW_SITE [--strict]

Text is compared with each run of whitespace collapsed to one space, and a
whitespace-only text between two tags is dropped unless one of them is in
INLINE (where a space shows): what a browser renders the same. --strict
counts every whitespace difference. Prints the pages that differ with the
first difference; exits 1 if any does.
"""
import sys
from html.parser import HTMLParser
from pathlib import Path

INLINE = {"a", "abbr", "b", "button", "code", "em", "i", "img", "input", "kbd", "label",
          "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "svg"}


# Attributes equal to their default, which minify-html drops: the same element.
DEFAULTS = {("form", "method", "get"), ("button", "type", "submit"), ("input", "type", "text"),
            ("script", "type", "text/javascript"), ("style", "type", "text/css"),
            ("link", "type", "text/css"), ("ol", "start", "1"), ("td", "colspan", "1"),
            ("td", "rowspan", "1"), ("th", "colspan", "1"), ("th", "rowspan", "1")}


class Tokens(HTMLParser):
    def __init__(self, strict):
        super().__init__(convert_charrefs=True)
        self.strict = strict
        self.out = []
        self.text = ""
        self.raw = 0

    def flush(self, next_tag):
        t = self.text
        self.text = ""
        if not t:
            return
        if not self.strict and not self.raw:
            t = " ".join(t.split()) if t.strip() else ""
            if t == "" and self.text_ws_matters(next_tag):
                t = " "
            # Spaces at the edges of a text touching a tag: keep one.
            elif t:
                t = (" " if self.last_ws_left else "") + t + (" " if self.last_ws_right else "")
        if t:
            self.out.append(("text", t))

    def text_ws_matters(self, next_tag):
        prev = next((x for x in reversed(self.out) if x[0] != "text"), None)
        return (prev is not None and prev[1] in INLINE) or next_tag in INLINE

    def handle_data(self, data):
        self.text += data
        self.last_ws_left = self.text[:1].isspace()
        self.last_ws_right = self.text[-1:].isspace()

    def handle_starttag(self, tag, attrs):
        self.flush(tag)
        if tag in ("script", "style", "pre", "textarea"):
            self.raw += 1
        # `class` is a set of words: minify-html collapses its spaces.
        self.out.append(("start", tag, frozenset(
            (k, " ".join((v or "").split()) if k == "class" else v or "")
            for k, v in attrs if (tag, k, (v or "").lower()) not in DEFAULTS)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.flush(tag)
        if tag in ("script", "style", "pre", "textarea"):
            self.raw = max(0, self.raw - 1)
        self.out.append(("end", tag))

    def handle_comment(self, data):
        self.flush(None)
        self.out.append(("comment", data))

    def handle_decl(self, decl):
        self.out.append(("decl", decl.lower()))


def tokens(path, strict):
    p = Tokens(strict)
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    p.flush(None)
    return p.out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    strict = "--strict" in sys.argv
    old, new = Path(args[0]), Path(args[1])
    pages = sorted(p.relative_to(old) for p in old.rglob("*.html"))
    differ = 0
    for rel in pages:
        a, b = tokens(old / rel, strict), tokens(new / rel, strict)
        if a != b:
            differ += 1
            i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            if differ <= 10:
                print(f"{rel}: token {i}: {a[i - 2:i + 2]!r}\n    vs {b[i - 2:i + 2]!r}")
    missing = [str(p.relative_to(new)) for p in new.rglob("*.html") if not (old / p.relative_to(new)).exists()]
    print(f"{len(pages)} pages compared, {differ} differ, {len(missing)} only in the new site")
    sys.exit(1 if differ or missing else 0)


if __name__ == "__main__":
    main()
