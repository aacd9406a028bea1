"""Reads every workbook of built sites with pandas (openpyxl), as an analyst
would, and checks that it reads the same as the CSV files.

- Every sheet after the read-me has one type per column: pandas gives a
  column of numbers, of booleans, of dates or of text, never a mix (a mix
  becomes 1.0/0.0 or object columns, and readxl warns on every cell).
- The latest year's workbook (every year) agrees with the CSV files read by
  pandas: the rates sheet's "Tỷ lệ (%)" is rates.csv's percent (84.96, not
  0.8496), and the three sheets of values (numbers, flags, texts), read as
  float, bool and text columns, are observations.csv's value column, with
  text exactly as reported (the CSV adds a ' before a text that starts like
  a formula; the workbook does not).

Usage: python workbooks.py DATA_DIR...
"""

import datetime
import numbers
import sys
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def kind(v) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, numbers.Number):
        return "number"
    if isinstance(v, (datetime.date, datetime.datetime, pd.Timestamp)):
        return "date"
    if isinstance(v, str):
        return "text"
    return type(v).__name__


def original(cell: str) -> str:
    """A CSV text cell without the ' the formula rule added."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def check_book(book: Path) -> int:
    sheets = pd.read_excel(book, sheet_name=None, engine="openpyxl")
    names = list(sheets)
    if names[0] != "Giới thiệu":
        sys.exit(f"{book}: the first sheet is {names[0]!r}, not the read-me")
    readme = " ".join(str(v) for v in sheets[names[0]].to_numpy().ravel())
    cells = 0
    for name in names[1:]:
        df = sheets[name]
        for col in df.columns:
            values = [v for v in df[col].tolist() if not (isinstance(v, float) and pd.isna(v))]
            kinds = {kind(v) for v in values}
            if len(kinds) > 1:
                sys.exit(f"{book}: «{name}» column «{col}» mixes {sorted(kinds)}")
            if f"«{name}» · {col}" not in readme:
                sys.exit(f"{book}: the read-me does not explain «{name}» · {col}")
            cells += len(values)
    return cells


def check_against_csv(data: Path, book: Path) -> None:
    sheets = pd.read_excel(book, sheet_name=None, engine="openpyxl")
    rates_csv = pd.read_csv(data / "rates.csv", keep_default_na=False, dtype=str)
    rates = sheets["Tỷ lệ"]
    if len(rates) != len(rates_csv):
        sys.exit(f"{book}: {len(rates)} rates, rates.csv has {len(rates_csv)}")
    for (_, x), (_, c) in zip(rates.iterrows(), rates_csv.iterrows()):
        if (int(x["Năm"]), x["Mã cơ quan"], x["Mã tỷ lệ"]) != (int(c["year"]), c["agency"], c["rate"]):
            sys.exit(f"{book}: rates in another order than rates.csv")
        if repr(float(x["Tỷ lệ (%)"])) != repr(float(c["percent"])):
            sys.exit(f"{book}: {x['Mã tỷ lệ']} is {x['Tỷ lệ (%)']} in the workbook, {c['percent']} in rates.csv")

    obs_csv = pd.read_csv(data / "observations.csv", keep_default_na=False, dtype=str)
    csv_values = {
        (int(c["year"]), c["agency"], c["indicator"]): c["value"] for _, c in obs_csv.iterrows()
    }
    dtypes = {"number": ("float64", "int64"), "boolean": ("bool",), "text": ("object", "str")}
    seen = 0
    for name, column, want in (
        ("Số liệu", "Giá trị", "number"),
        ("Số liệu có-không", "Giá trị (có/không)", "boolean"),
        ("Số liệu văn bản", "Giá trị (văn bản)", "text"),
    ):
        df = sheets[name]
        if len(df) and str(df[column].dtype) not in dtypes[want]:
            sys.exit(f"{book}: «{name}» «{column}» is read as {df[column].dtype}, not {want}")
        for _, x in df.iterrows():
            v = x[column]
            c = csv_values.get((int(x["Năm"]), x["Mã cơ quan"], x["Mã chỉ tiêu"]))
            if c is None:
                sys.exit(f"{book}: {x['Mã chỉ tiêu']} is not in observations.csv")
            if want == "boolean":
                ok = c == ("true" if bool(v) else "false")
            elif want == "number":
                ok = float(v) == float(c)
            else:
                ok = str(v) == original(c)
            if not ok:
                sys.exit(f"{book}: {x['Mã chỉ tiêu']} is {v!r}, observations.csv has {c!r}")
            seen += 1
    if seen != len(obs_csv):
        sys.exit(f"{book}: {seen} values, observations.csv has {len(obs_csv)}")


def main() -> None:
    for d in sys.argv[1:]:
        data = Path(d)
        books = sorted(data.glob("*.xlsx"))
        if not books:
            sys.exit(f"{data}: no workbook")
        cells = sum(check_book(b) for b in books)
        check_against_csv(data, books[-1])
        print(
            f"pandas read {len(books)} workbooks of {data} ({cells} cells): one type per column, "
            f"{books[-1].name} agrees with rates.csv and observations.csv"
        )


if __name__ == "__main__":
    main()
