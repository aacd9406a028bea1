#!/usr/bin/env bash
# `minhbach import` at its documented limits (README, "Importing the
# agencies' forms"): a Phụ lục-style TSV just under 10 MB with 19,990 rows,
# every one an unmapped row (the worst case for messages), and one of 20 MB,
# refused before it is read. Prints wall time and peak memory of each with
# the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dir="${BENCH_DIR:-target/bench}/import"
mkdir -p "$dir"
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
note = ("Báo cáo số 156/BC-SNgV ngày 24/11/2022 về kết quả tổ chức thực hiện ứng dụng CNTT, "
        "phát triển Chính quyền số năm 2022 của Sở Ngoại vụ; ") * 2 + "x" * 95
rows = ["STT\tNội dung\tSố liệu/Kết quả\tGhi chú", "I\tPHẦN MỘT\t\t"]
rows += [f"{i}\tChỉ tiêu thứ {i} của biểu mẫu rất dài\t{i * 7}\t{note}" for i in range(1, 19990)]
text = "\n".join(rows) + "\n"
open(f"{d}/so-noi-vu.tsv", "w").write(text)
open(f"{d}/so-tu-phap.tsv", "w").write(text * 2)
PY
for f in so-noi-vu so-tu-phap; do
  size=$(stat -c %s "$dir/$f.tsv")
  /usr/bin/time -f "%e %M" -o "$dir/$f.time" target/release/minhbach import "$dir/$f.tsv" \
    --year 2024 --format json >"$dir/$f.json" 2>/dev/null || true
  read -r wall kb < <(tail -n 1 "$dir/$f.time")
  problems=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d[0]['problems']), d[0]['problems'][0]['code'])" "$dir/$f.json")
  printf '%-14s %6.1f MB  %6s s  %5d MiB peak  problems: %s\n' "$f.tsv" \
    "$(echo "$size / 1048576" | bc -l)" "$wall" "$((kb / 1024))" "$problems"
done
