"""Compare a run of the example model with its committed expected output.

The prediction part must match exactly. The environment report differs by design, so only the
parts of it that an option names are checked: --architecture (what the run must report, e.g.
aarch64), --kernel-release (the kernel of the host that ran the container, which it shares) and
--environment-of REPORT (the same python, numpy, system and architecture as a committed report).
Exit status 1 with a diff, or a line per difference, when something does not match; 2 when an
input is not a report of the model.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

# What a rebuild of the same image must reproduce. kernel_release is the host's, not the
# image's, so a committed report's value says nothing about another host's run.
IMAGE_FIELDS = ("python", "numpy", "system", "architecture")


class NotAReport(Exception):
    pass


def read_report(path: str, need_environment: bool = False) -> dict:
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise NotAReport(f"cannot read {path} ({error.strerror})") from None
    except ValueError as error:
        raise NotAReport(f"{path} is not JSON ({error})") from None
    needed = {"model", "predictions"} | ({"environment"} if need_environment else set())
    if not isinstance(report, dict) or not needed <= report.keys():
        raise NotAReport(f"{path}: not a report of the example model (needs {sorted(needed)})")
    if need_environment and not isinstance(report["environment"], dict):
        raise NotAReport(f"{path}: its environment is not an object")
    return report


def prediction_part(report: dict) -> str:
    return json.dumps({k: report[k] for k in ("model", "predictions")}, indent=2, sort_keys=True)


def expected_environment(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(field, expected value, where the expectation comes from), one per check."""
    expected = []
    if args.environment_of:
        committed = read_report(args.environment_of, need_environment=True)["environment"]
        expected += [(key, committed.get(key), args.environment_of) for key in IMAGE_FIELDS]
    if args.architecture:
        expected.append(("architecture", args.architecture, "--architecture"))
    if args.kernel_release:
        expected.append(("kernel_release", args.kernel_release, "--kernel-release"))
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actual", help="the run's output")
    parser.add_argument("expected", help="examples/ml-model/expected-output.json")
    parser.add_argument("--architecture", help="the architecture the run must report")
    parser.add_argument("--kernel-release", help="the kernel release the run must report")
    parser.add_argument("--environment-of", metavar="REPORT", help="a committed report")
    args = parser.parse_args(argv)
    try:
        expected_fields = expected_environment(args)
        actual = read_report(args.actual, need_environment=bool(expected_fields))
        predictions = prediction_part(actual)
        expected = prediction_part(read_report(args.expected))
    except NotAReport as error:
        print(f"compare_predictions.py: {error}", file=sys.stderr)
        return 2
    failed = predictions != expected
    if failed:
        diff = difflib.unified_diff(
            expected.splitlines(), predictions.splitlines(), args.expected, "this run", lineterm=""
        )
        print("\n".join(diff), file=sys.stderr)
    for key, value, source in expected_fields:
        found = actual["environment"].get(key)
        if found != value:
            failed = True
            print(
                f"{args.actual}: environment.{key} is {found!r}, expected {value!r} ({source})",
                file=sys.stderr,
            )
    if failed:
        return 1
    print(f"predictions match {args.expected}")
    for key, value, source in expected_fields:
        print(f"environment.{key} is {value!r}, as {source} expects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
