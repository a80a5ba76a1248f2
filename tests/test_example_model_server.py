"""The model-server example, run as a plain process (no container engine): /health, /ready and
/predict answer as the health-checks lesson says, check_server.py passes against it and fails
clearly against a server that never becomes ready, and the lesson's commands are the script's.

Every server is a copy of the example started on a free port of 127.0.0.1, with its output in a
file (a pipe nobody reads could fill up and stall it), and is stopped with SIGTERM.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "model-server"
LESSON = ROOT / "docs" / "lessons" / "health-checks" / "lesson.yml"
# Platforms differ in the last bits of a float; a probability this far from a rounding boundary
# rounds to the same 4 decimals on all of them.
ROUNDING_MARGIN = 1e-6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http(url: str, body: bytes | None = None, headers: dict | None = None, method=None):
    """(status, parsed JSON body) of one request; error statuses are answers too."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=5)


def launch(folder: Path, load_delay: float = 0.0, weights: str | None = None) -> Server:
    """Start server.py from a copy of the example in `folder`, with `weights` if given."""
    folder.mkdir()
    for name in ("server.py", "weights.json"):
        (folder / name).write_bytes((EXAMPLE / name).read_bytes())
    if weights is not None:
        (folder / "weights.json").write_text(weights, encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "MODEL_LOAD_DELAY": str(load_delay),
    }
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "server.py"], cwd=folder, env=env, stdout=output, stderr=output
        )
    return Server(process, f"http://127.0.0.1:{port}", log)


def wait_alive(server: Server, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if http(f"{server.url}/health")[0] == 200:
                return
        except OSError:
            pass
        assert server.process.poll() is None, f"server.py exited early:\n{server.output()}"
        assert time.monotonic() < deadline, f"no /health answer:\n{server.output()}"
        time.sleep(0.05)


def kill(servers: list[Server]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


@pytest.fixture
def start_server(tmp_path):
    """Starts a server and waits until /health answers (unless wait=False); kills it after."""
    servers: list[Server] = []

    def start(load_delay: float = 0.0, weights: str | None = None, wait=True) -> Server:
        server = launch(tmp_path / f"server-{len(servers)}", load_delay, weights)
        servers.append(server)
        if wait:
            wait_alive(server)
        return server

    yield start
    kill(servers)


@pytest.fixture(scope="module")
def ready_server(tmp_path_factory):
    """One ready server for the tests that only send it requests."""
    server = launch(tmp_path_factory.mktemp("ready") / "server")
    try:
        wait_alive(server)
        wait_ready(server)
        yield server
    finally:
        kill([server])


def wait_ready(server: Server, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while http(f"{server.url}/ready")[0] != 200:
        assert time.monotonic() < deadline, f"not ready:\n{server.output()}"
        time.sleep(0.05)


def predict(server: Server, body: bytes, headers: dict | None = None):
    headers = {"Content-Type": "application/json", **(headers or {})}
    return http(f"{server.url}/predict", body, headers)


def sample() -> bytes:
    return (EXAMPLE / "sample-input.json").read_bytes()


def expected() -> dict:
    return json.loads((EXAMPLE / "expected-output.json").read_text(encoding="utf-8"))


def run_check(url: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, EXAMPLE / "check_server.py", "--url", url, "--timeout", str(timeout)],
        capture_output=True,
        text=True,
        timeout=timeout + 15,
    )


def test_alive_at_once_ready_only_once_the_model_is_loaded(start_server):
    server = start_server(load_delay=1.0)

    assert http(f"{server.url}/health") == (200, {"status": "alive"})
    assert http(f"{server.url}/ready") == (503, {"status": "loading"})
    status, answer = predict(server, sample())
    assert status == 503
    assert "not loaded" in answer["error"]

    wait_ready(server)
    assert http(f"{server.url}/ready") == (
        200,
        {"status": "ready", "model": "iris-petal-logistic-regression", "version": "1.0"},
    )
    assert http(f"{server.url}/health") == (200, {"status": "alive"})
    assert predict(server, sample()) == (200, expected())
    assert server.stop() == 0


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"not json", 400, "not JSON"),
        (b'{"instances": [[1.5, NaN]]}', 400, "NaN"),
        (b'{"rows": [[1.5, 0.3]]}', 400, '{"instances"'),
        (b'{"instances": []}', 400, "at least one"),
        (b'{"instances": [[1.5]]}', 400, "instances[0]"),
        (b'{"instances": [[1.5, 0.3], [4.2, "wide"]]}', 400, "instances[1]"),
        (b'{"instances": [[1.5, true]]}', 400, "instances[0]"),
        (b'{"instances": [[-1.0, 0.3]]}', 400, "from 0 to 100"),
        (b"\xff\xfe", 400, "not JSON"),
    ],
)
def test_input_it_cannot_use_gets_a_4xx_json_error(ready_server, body, status, says):
    server = ready_server

    answer_status, answer = predict(server, body)

    assert answer_status == status
    assert says in answer["error"]
    # A bad request does not hurt the server: the next good one is answered.
    assert predict(server, sample()) == (200, expected())


def test_oversized_bodies_wrong_methods_and_paths_are_json_errors_too(ready_server):
    server = ready_server

    status, answer = predict(server, b"{" + b" " * (64 * 1024) + b"}")
    assert status == 413
    assert "at most 65536 bytes" in answer["error"]
    assert http(f"{server.url}/predict") == (405, {"error": "/predict takes POST"})
    assert http(f"{server.url}/ready", b"{}")[0] == 405
    assert http(f"{server.url}/metrics")[0] == 404
    assert http(f"{server.url}/predict", b"{}", method="PUT")[0] == 501


def test_sigterm_stops_it_gracefully_even_while_it_loads(start_server):
    server = start_server(load_delay=60)

    # stop() waits 5 s at most: a server that finished its 60 s load first fails here.
    assert server.stop() == 0
    assert "stopping" in server.output()


def test_a_weights_file_it_cannot_use_stops_the_process_and_it_never_gets_ready(start_server):
    weights = json.loads((EXAMPLE / "weights.json").read_text(encoding="utf-8"))
    weights["scale"] = [1.0, 0.0]
    server = start_server(weights=json.dumps(weights), wait=False)

    assert server.process.wait(timeout=10) == 1
    assert "cannot load the model" in server.output()
    assert "'scale' must be positive" in server.output()


def test_check_server_passes_against_a_server_that_gets_ready(start_server):
    server = start_server(load_delay=0.5)

    result = run_check(server.url, timeout=15)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("check_server.py: OK: ready after ")
    assert "matches expected-output.json" in result.stdout


def test_check_server_fails_clearly_within_its_timeout_when_never_ready(start_server):
    server = start_server(load_delay=600)
    started = time.monotonic()

    result = run_check(server.url, timeout=1)

    # It gave up after its own timeout: not sooner, and long before the 600 s load (run_check
    # kills it 15 s after its timeout, which fails the test).
    assert time.monotonic() - started >= 1
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"check_server.py: FAILED: not ready after 1 s: last answer from {server.url}/ready: "
        '503 {"status": "loading"}'
    ]


def test_check_server_fails_clearly_when_nothing_listens():
    url = f"http://127.0.0.1:{free_port()}"

    result = run_check(url, timeout=0.5)

    assert result.returncode == 1
    assert result.stderr.startswith(
        f"check_server.py: FAILED: not ready after 0.5 s: last answer from {url}/ready: unreachable"
    )


def test_check_server_fails_when_the_predictions_differ(start_server, tmp_path):
    weights = json.loads((EXAMPLE / "weights.json").read_text(encoding="utf-8"))
    weights["bias"] += 0.5  # a model that loads and gets ready, but answers differently
    server = start_server(weights=json.dumps(weights))

    result = run_check(server.url, timeout=10)

    assert result.returncode == 1
    assert "FAILED: /predict differs from expected-output.json" in result.stderr


def test_predictions_match_the_ml_model_example_and_stay_clear_of_rounding_boundaries(
    monkeypatch,
):
    spec = importlib.util.spec_from_file_location("model_server", EXAMPLE / "server.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    model = module.load_model(EXAMPLE / "weights.json")
    instances = json.loads(sample())["instances"]
    ml_model = json.loads((ROOT / "examples/ml-model/expected-output.json").read_text())

    assert [p["petal"] for p in ml_model["predictions"]] == instances
    for instance, theirs, ours in zip(
        instances, ml_model["predictions"], expected()["predictions"], strict=True
    ):
        assert ours == {k: theirs[k] for k in ("class", "probability_versicolor")}
        z = model.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(model.weights, instance, model.mean, model.scale, strict=True)
        )
        raw = 1 / (1 + math.exp(-z))
        distance_to_boundary = abs((raw * 10**4) % 1 - 0.5) / 10**4
        assert distance_to_boundary > ROUNDING_MARGIN, (instance, raw)


def test_the_dockerfile_healthcheck_command_exits_0_when_alive_and_1_when_not(start_server):
    lines = (EXAMPLE / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
    (healthcheck,) = [line for line in lines if line.startswith("HEALTHCHECK ")]
    options, command = healthcheck.split(" CMD ", 1)
    assert {"--interval", "--timeout", "--start-period", "--retries"} == {
        option.split("=")[0] for option in options.split()[1:]
    }
    argv = json.loads(command)
    assert argv[0] == "python"
    server = start_server(load_delay=600)  # alive, never ready: the check is liveness only

    def probe(port: str) -> int:
        env = {**os.environ, "PORT": port}
        return subprocess.run([sys.executable, *argv[1:]], env=env, capture_output=True).returncode

    assert probe(server.url.rsplit(":", 1)[1]) == 0
    assert probe(str(free_port())) == 1


def test_hadolint_reports_nothing_on_the_dockerfile():
    result = subprocess.run(
        [ROOT / ".venv" / "bin" / "hadolint", EXAMPLE / "Dockerfile"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def script_commands() -> list[str]:
    lines = (EXAMPLE / "commands.sh").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.split(" ", 1)[0] in ("docker", "python")]


def test_the_lessons_execution_sample_is_the_scripts_commands():
    lesson = yaml.safe_load(LESSON.read_text(encoding="utf-8"))
    sample_commands = [c["command"] for c in lesson["execution_sample"]["commands"]]
    assert sample_commands == script_commands()


@pytest.mark.parametrize("check_passes", [True, False])
def test_commands_sh_stops_and_removes_the_container_whether_the_check_passes_or_not(
    tmp_path, check_passes
):
    """docker and python replaced by stand-ins that log their arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    for name, status in (("docker", 0), ("python", 0 if check_passes else 1)):
        stand_in = bin_dir / name
        stand_in.write_text(
            f'#!/bin/sh\necho "{name} $*" >> {shlex.quote(str(calls))}\nexit {status}\n'
        )
        stand_in.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    result = subprocess.run(["sh", EXAMPLE / "commands.sh"], cwd=EXAMPLE, env=env, timeout=10)

    assert result.returncode == (0 if check_passes else 1)
    logged = calls.read_text().splitlines()
    assert logged[:3] == script_commands()[:3]
    assert logged[3:] == ["docker stop model-server", "docker rm model-server"]
