"""Print two or more reports of the example model side by side, as a Markdown table.

Each prediction and each environment field is a row, with one column per report (named after
its file) and a last column saying whether the value is the same in all of them. The
example-image workflow writes this for its linux/amd64 and linux/arm64 runs.
Exit status 2 when an input is not a report of the model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compare_predictions import NotAReport, read_report


def cell(value: object) -> str:
    # A report's text must not be able to open a new column.
    return str(value).replace("\\", "\\\\").replace("|", "\\|")


def table(names: list[str], columns: list[dict]) -> str:
    rows = []
    for i, prediction in enumerate(columns[0]["predictions"]):
        values = []
        for report in columns:
            found = report["predictions"][i] if i < len(report["predictions"]) else {}
            values.append(f"{found.get('class')} {found.get('probability_versicolor')}")
        rows.append((f"prediction for petal {prediction.get('petal')}", values))
    fields = dict.fromkeys(key for report in columns for key in report["environment"])
    for key in fields:
        rows.append((f"environment.{key}", [report["environment"].get(key) for report in columns]))
    lines = [
        "| field | " + " | ".join(cell(name) for name in names) + " | |",
        "|---" * (len(names) + 2) + "|",
    ]
    for field, values in rows:
        verdict = "same" if len(set(map(str, values))) == 1 else "**differs**"
        lines.append(
            f"| {cell(field)} | " + " | ".join(cell(v) for v in values) + f" | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", metavar="REPORT", help="a model report (JSON)")
    args = parser.parse_args(argv)
    if len(args.reports) < 2:
        parser.error("give at least two reports to put side by side")
    try:
        columns = [read_report(path, need_environment=True) for path in args.reports]
    except NotAReport as error:
        print(f"reports_side_by_side.py: {error}", file=sys.stderr)
        return 2
    names = [Path(path).stem for path in args.reports]
    if len(set(names)) < len(names):  # two linux-amd64.json from different folders
        names = args.reports
    sys.stdout.write(table(names, columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
