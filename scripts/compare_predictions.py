"""Compare a run of the example model with its committed expected output.

Only the prediction part must match, exactly: the environment report differs by design.
Exit status 1 with a diff when it does not match.
"""

import difflib
import json
import sys
from pathlib import Path


def prediction_part(text: str) -> str:
    report = json.loads(text)
    return json.dumps({k: report[k] for k in ("model", "predictions")}, indent=2, sort_keys=True)


def main(actual_path: str, expected_path: str) -> int:
    actual = prediction_part(Path(actual_path).read_text(encoding="utf-8"))
    expected = prediction_part(Path(expected_path).read_text(encoding="utf-8"))
    if actual == expected:
        print(f"predictions match {expected_path}")
        return 0
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), expected_path, "this run", lineterm=""
    )
    print("\n".join(diff), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
