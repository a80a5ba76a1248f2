"""Check a running model server: wait until it is ready, then compare one prediction.

    python check_server.py --url http://127.0.0.1:8080 --expected expected-output.json --timeout 30

It polls GET /ready until the answer is 200, for at most --timeout seconds, then checks that
GET /health answers 200, POSTs the fixed input in sample-input.json to /predict and compares the
answer with expected-output.json: the same JSON value, every prediction to the 4 decimals the
server rounds to. It prints one line saying what passed or what failed, and exits 0 or 1.

It neither starts nor stops the server: that is the caller's job (commands.sh starts the
container with `docker run -d` before it and stops it after it, failed or not). Standard library
only, so it runs with any Python 3.11 or later, outside the container.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLL_SECONDS = 0.5
REQUEST_SECONDS = 5.0


class CheckFailed(Exception):
    pass


def request(
    url: str, body: bytes | None = None, timeout: float = REQUEST_SECONDS
) -> tuple[int, str]:
    """(status, body) of a GET, or of a POST of JSON when `body` is given. HTTP error statuses
    are answers too; a server that cannot be reached raises OSError."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=body, headers=headers), timeout=timeout
        ) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except http.client.HTTPException as error:
        # A port that is published but not yet listened on can accept the connection and
        # close it without an answer (Docker's port forwarding does): not reachable yet.
        raise OSError(f"no HTTP answer ({type(error).__name__})") from error


def wait_until_ready(url: str, timeout: float) -> float:
    """Seconds it took for GET /ready to answer 200; CheckFailed after `timeout` seconds."""
    start = time.monotonic()
    deadline = start + timeout
    last = "no answer yet"
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise CheckFailed(
                f"not ready after {timeout:g} s: last answer from {url}/ready: {last}"
            )
        try:
            status, body = request(f"{url}/ready", timeout=min(REQUEST_SECONDS, left))
            if status == 200:
                return time.monotonic() - start
            last = f"{status} {body.strip()}"
        except OSError as error:
            last = f"unreachable ({getattr(error, 'reason', None) or error})"
        time.sleep(max(0.0, min(POLL_SECONDS, deadline - time.monotonic())))


def check(url: str, expected_path: Path, input_path: Path, timeout: float) -> str:
    url = url.rstrip("/")
    try:
        sample = input_path.read_bytes()
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CheckFailed(f"cannot read the sample input or the expected output: {error}") from None
    waited = wait_until_ready(url, timeout)
    try:
        status, body = request(f"{url}/health")
        if status != 200:
            raise CheckFailed(f"ready, but GET /health answered {status} {body.strip()}")
        status, body = request(f"{url}/predict", sample)
    except OSError as error:
        raise CheckFailed(f"ready, then unreachable: {error}") from None
    if status != 200:
        raise CheckFailed(f"POST /predict answered {status} {body.strip()}")
    try:
        answer = json.loads(body)
    except ValueError:
        raise CheckFailed(
            f"POST /predict answered 200 with a body that is not JSON: {body[:200]!r}"
        ) from None
    if answer != expected:
        raise CheckFailed(
            f"/predict differs from {expected_path.name}: got {json.dumps(answer)}, "
            f"expected {json.dumps(expected)}"
        )
    return (
        f"ready after {waited:.1f} s, /health 200, /predict on {input_path.name} "
        f"matches {expected_path.name}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the server's base URL")
    parser.add_argument("--expected", type=Path, default=HERE / "expected-output.json")
    parser.add_argument("--input", type=Path, default=HERE / "sample-input.json")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for /ready (default 30)"
    )
    args = parser.parse_args()
    try:
        print(f"check_server.py: OK: {check(args.url, args.expected, args.input, args.timeout)}")
        return 0
    except CheckFailed as error:
        print(f"check_server.py: FAILED: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
