#!/usr/bin/env python3
"""Where a build's CPU time goes, by pipeline component, from the output of
`perf script -F comm,ip,sym,dso` of a `perf record --call-graph dwarf`
of `minhbach build`. Each sample goes to the first component below that
appears anywhere in its stack; kernel samples are counted apart, by the
component that made the system call.

    perf_breakdown.py PERF_SCRIPT_OUTPUT
"""
import re
import sys
from collections import Counter

COMPONENTS = [
    ("render: minify HTML (minify-html)", r"minify_html::|write::minify\b|write::reescape"),
    ("render: charts (plotters → SVG)", r"chartspecs::draw"),
    ("render: page context (views → Tera values)", r"render::views::context"),
    ("render: Tera templates", r"tera::vm::|Tera::render"),
    # A publish function itself, not a function whose type parameters name
    # a publish type (the join in site.rs that runs the rendering beside
    # `publish` is generic over `Result<Vec<publish::DataFile>, _>`).
    ("publish: workbooks (our xlsx writer, deflate)", r"^<?minhbach::publish::xlsx::"),
    ("publish: zip (deflate)", r"^<?minhbach::publish::archive::"),
    ("publish: CSV, JSON, agency data", r"^<?minhbach::publish::"),
    ("load + validate (YAML)", r"minhbach::(load|validate|yaml)::"),
    ("model", r"minhbach::model::build"),
    ("render: writing pages", r"minhbach::write::"),
    ("render: other", r"render::"),
]
PATTERNS = [(name, re.compile(p)) for name, p in COMPONENTS]


def samples(lines):
    frames = []
    for line in lines:
        if not line.startswith(("\t", " ")):
            if frames:
                yield frames
            frames = []
            continue
        # "ADDRESS SYMBOL (DSO)": the symbol and what follows.
        s = line.strip().split(None, 1)
        if len(s) == 2:
            frames.append(s[1])
    if frames:
        yield frames


def main():
    user, kernel = Counter(), Counter()
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for frames in samples(f):
            name = next(
                (n for n, p in PATTERNS if any(p.search(fr) for fr in frames)), "other"
            )
            (kernel if "[kernel.kallsyms]" in frames[0] else user)[name] += 1
    nu, nk = sum(user.values()), sum(kernel.values())
    total = max(nu + nk, 1)
    print(f"{total} samples: user {100 * nu / total:.0f} %, kernel {100 * nk / total:.0f} %")
    print("user time by component:")
    for name, n in user.most_common():
        print(f"  {100 * n / max(nu, 1):5.1f} %  {name}")
    print("kernel time by the component that called it:")
    for name, n in kernel.most_common(5):
        print(f"  {100 * n / max(nk, 1):5.1f} %  {name}")


if __name__ == "__main__":
    main()
