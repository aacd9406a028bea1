#!/usr/bin/env python3
"""Adds a scoring rubric to a copy of a gen_corpus.py site root, for
benches/rubric.sh: data/rubrics/bench.yaml scores every year and cohort with
every rule kind (24 leaf criteria on core figures), and every report gets
`criteria:` with self-assessed points for each leaf (some off by a point, so
that score-mismatch warnings are made and shown too).

    benches/rubric_corpus.py ROOT [--latest]     (edits ROOT in place; with
        --latest the rubric scores the latest year only, as a province's
        rubric of one year does, else every year)
    benches/rubric_corpus.py ROOT SCORES_CSV     (then: self-assessed points
        as the figures give them, one criterion in 20 off by a point, and
        score.value their sum, as a careful agency would report)
"""
import csv
import re
import pathlib
import sys

RATES = ["dvctt_uptake", "procedures_full_rate", "on_time_rate", "signed_outgoing_rate",
         "electronic_incoming_rate", "leaders_signature_rate", "antivirus_rate", "digitization_rate"]


def rubric(years):
    lines = [
        'name: {vi: "Bộ tiêu chí đo hiệu năng", en: "Benchmark rubric"}',
        f"years: [{', '.join(years)}]",
        "max: 240",
        "sections:",
        '  - id: "A"',
        '    name: "Tỷ lệ"',
        "    max: 160",
        "    criteria:",
    ]
    for i, r in enumerate(RATES, 1):
        lines.append(f'      - {{id: "A.{i}", name: "Tỷ lệ {r}", max: 10, rule: {{proportional: {r}}}}}')
    for i, r in enumerate(RATES, 1):
        lines.append(f'      - {{id: "A.{8 + i}", name: "Bậc {r}", max: 10, rule: {{tiers: {{of: {r}, steps: [{{from: 90, points: max}}, {{from: 60, points: proportional}}, {{from: 30, points: {{scaled_to: 60}}}}]}}, when_no_denominator: max}}}}')
    lines += [
        '  - id: "B"',
        '    name: "Khác"',
        "    max: 80",
        "    criteria:",
        '      - {id: "B.1", name: "Tường lửa", max: 10, rule: {yes_no: has_firewall}}',
        '      - {id: "B.2", name: "Kế hoạch", max: 10, rule: {yes_no: has_dx_plan}}',
        '      - {id: "B.3", name: "Hệ thống", max: 10, rule: {per_item: {of: systems_level_approved, points: 5}}}',
        '      - {id: "B.4", name: "Máy chủ", max: 10, rule: {deduct: {of: servers_total, points: 1}}}',
        '      - {id: "B.5", name: "Kinh phí", max: 10, rule: {tiers: {of: budget_dx_vnd, steps: [{from: 1000000000, points: max}, {from: 500000000, points: 5}]}}}',
        '      - id: "B.6"',
        '        name: "Nhóm"',
        "        criteria:",
        '          - {id: "B.6.1", name: "Đoàn chấm", max: 10, rule: {judged: true}}',
        '          - {id: "B.6.2", name: "Điểm cổng", max: 10, rule: {tiers: {of: portal_score, steps: [{from: 90, points: max}, {from: 50, points: 5}]}}}',
        '          - {id: "B.6.3", name: "Đoàn chấm 2", max: 10, rule: {judged: true}}',
    ]
    return "\n".join(lines) + "\n"


def realistic(root, scores_csv):
    by_report = {}
    with open(scores_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_report.setdefault((row["year"], row["agency"]), []).append(row)
    n = 0
    for (year, agency), rows in by_report.items():
        p = root / "data/reports" / year / f"{agency}.yaml"
        text = p.read_text(encoding="utf-8").split("criteria:\n")[0]
        total = 0.0
        lines = []
        for row in rows:
            pts = float(row["recomputed"]) if row["recomputed"] else 7.0
            n += 1
            if n % 20 == 0:
                pts = pts - 1 if pts >= 1 else pts + 1
            pts = round(pts, 2)
            total += pts
            lines.append(f"  {row['criterion']}: {pts:g}\n")
        text = re.sub(r"score: \{value: [0-9.]+", f"score: {{value: {round(total, 2):g}", text, count=1)
        p.write_text(text + "criteria:\n" + "".join(lines), encoding="utf-8")


def main():
    root = pathlib.Path(sys.argv[1])
    if len(sys.argv) > 2 and sys.argv[2] != "--latest":
        realistic(root, sys.argv[2])
        return
    reports = sorted((root / "data/reports").glob("*/*.yaml"))
    years = sorted({p.parent.name for p in reports})
    if "--latest" in sys.argv[2:]:
        years = years[-1:]
        reports = [p for p in reports if p.parent.name in years]
    (root / "data/rubrics").mkdir(parents=True, exist_ok=True)
    (root / "data/rubrics/bench.yaml").write_text(rubric(years), encoding="utf-8")
    ids = [f"A.{i}" for i in range(1, 17)] + ["B.1", "B.2", "B.3", "B.4", "B.5", "B.6.1", "B.6.2", "B.6.3"]
    for n, p in enumerate(reports):
        text = p.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        text += "criteria:\n" + "".join(f"  {c}: {(n + k) % 11}\n" for k, c in enumerate(ids))
        p.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
