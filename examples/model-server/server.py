"""A model served over HTTP with a liveness and a readiness check, standard library only.

    GET  /health   liveness: 200 as soon as the process answers HTTP, whatever the model's state
    GET  /ready    readiness: 503 until the model is loaded and checked, 200 from then on
    POST /predict  {"instances": [[petal_length_cm, petal_width_cm], ...]} -> predictions;
                   503 while the model is not loaded, 400 (or 411, 413) with a JSON error for
                   input it cannot use

The model is a logistic regression on two petal measurements of Iris flowers. Its parameters are
in weights.json, trained by the same gradient descent on the same ten flowers as
examples/ml-model, so its four sample predictions equal that example's.

The server answers HTTP at once and loads the model meanwhile: it waits MODEL_LOAD_DELAY seconds
(default 2), standing in for the download or deserialisation of a large model, then reads the
weights file and checks every field. A weights file it cannot use stops the process with exit
status 1: a server that can never become ready should not stay up answering /health.

Settings, from the environment: PORT (default 8080); HOST (default 0.0.0.0, every interface, as
a container needs); MODEL_PATH (default weights.json beside this file); MODEL_LOAD_DELAY.

SIGTERM (what `docker stop` sends) or Ctrl-C stops it gracefully: it stops accepting
connections, lets the requests in progress finish, and exits 0.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DECIMALS = 4
MAX_BODY_BYTES = 64 * 1024
MAX_INSTANCES = 1000
MAX_MEASUREMENT_CM = 100.0


class ModelError(Exception):
    """The weights file cannot be used."""


class BadInput(Exception):
    """A request the model cannot answer; `status` is the HTTP status to reply with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Model:
    name: str
    version: str
    features: list[str]
    classes: list[str]
    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]

    def predict(self, instance: list[float]) -> dict:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, instance, self.mean, self.scale, strict=True)
        )
        # Clamped so math.exp cannot overflow; it changes no probability at 4 decimals.
        p = 1.0 / (1.0 + math.exp(-max(-500.0, min(500.0, z))))
        return {
            "class": self.classes[int(p >= 0.5)],
            f"probability_{self.classes[1]}": round(p, DECIMALS),
        }


def is_number(value: object) -> bool:
    # bool is a subclass of int in Python, but `true` is not a measurement.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def load_model(path: Path) -> Model:
    """Read and check the weights file: the model is used only if every field is usable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelError(f"cannot read {path}: {error.strerror}") from None
    except ValueError as error:
        raise ModelError(f"{path} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}: expected a JSON object")
    features = data.get("features")
    if not (isinstance(features, list) and features and all(isinstance(f, str) for f in features)):
        raise ModelError(f"{path}: 'features' must be a non-empty list of names")
    for key in ("weights", "mean", "scale"):
        values = data.get(key)
        if not (isinstance(values, list) and len(values) == len(features)):
            raise ModelError(f"{path}: '{key}' must be a list of {len(features)} numbers")
        if not all(is_number(v) for v in values):
            raise ModelError(f"{path}: '{key}' must hold finite numbers only")
    if not all(s > 0 for s in data["scale"]):
        raise ModelError(f"{path}: 'scale' must be positive")
    if not is_number(data.get("bias")):
        raise ModelError(f"{path}: 'bias' must be a finite number")
    classes = data.get("classes")
    if not (
        isinstance(classes, list) and len(classes) == 2 and all(isinstance(c, str) for c in classes)
    ):
        raise ModelError(f"{path}: 'classes' must be a list of 2 names")
    if not all(isinstance(data.get(key), str) for key in ("model", "version")):
        raise ModelError(f"{path}: 'model' and 'version' must be text")
    return Model(
        data["model"],
        data["version"],
        features,
        classes,
        data["weights"],
        data["bias"],
        data["mean"],
        data["scale"],
    )


def parse_instances(body: bytes, features: list[str]) -> list[list[float]]:
    def no_constants(name: str) -> None:
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        data = json.loads(body.decode("utf-8"), parse_constant=no_constants)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadInput(f"the body is not JSON: {error}") from None
    instances = data.get("instances") if isinstance(data, dict) else None
    if not isinstance(instances, list) or not instances:
        raise BadInput(
            'expected a JSON object {"instances": [[...], ...]} with at least one instance'
        )
    if len(instances) > MAX_INSTANCES:
        raise BadInput(f"expected at most {MAX_INSTANCES} instances, got {len(instances)}")
    for index, instance in enumerate(instances):
        if not (
            isinstance(instance, list)
            and len(instance) == len(features)
            and all(is_number(v) and 0 <= v <= MAX_MEASUREMENT_CM for v in instance)
        ):
            raise BadInput(
                f"instances[{index}]: expected {len(features)} numbers from 0 to "
                f"{MAX_MEASUREMENT_CM:g} ({', '.join(features)}), got {json.dumps(instance)}"
            )
    return instances


class ModelServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for the requests in progress
    model: Model | None = None  # set once the model is loaded and checked: then it is ready


class Handler(BaseHTTPRequestHandler):
    server: ModelServer
    server_version = "model-server/1.0"
    sys_version = ""  # the Server header need not say which Python answers
    timeout = 10  # seconds a client may take to send its request

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        model = self.server.model
        if path == "/health":
            self.reply(200, {"status": "alive"})
        elif path == "/ready" and model is None:
            self.reply(503, {"status": "loading"})
        elif path == "/ready":
            self.reply(200, {"status": "ready", "model": model.name, "version": model.version})
        else:
            self.not_here(path, {"/predict": "POST"})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path != "/predict":
            self.not_here(path, {"/health": "GET", "/ready": "GET"})
            return
        model = self.server.model  # one read: the answer uses one model, whatever happens meanwhile
        if model is None:
            self.reply(503, {"error": "the model is not loaded yet: wait until /ready answers 200"})
            return
        try:
            instances = parse_instances(self.read_body(), model.features)
        except BadInput as error:
            self.reply(error.status, {"error": str(error)})
            return
        predictions = [model.predict(instance) for instance in instances]
        self.reply(200, {"model": model.name, "version": model.version, "predictions": predictions})

    def read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            raise BadInput("a Content-Length header is required", 411)
        if not length.isdigit():
            raise BadInput(f"Content-Length must be a number of bytes, got {length!r}")
        if int(length) > MAX_BODY_BYTES:
            raise BadInput(f"the body may be at most {MAX_BODY_BYTES} bytes", 413)
        return self.rfile.read(int(length))

    def not_here(self, path: str, other_methods: dict[str, str]) -> None:
        if path in other_methods:
            self.reply(405, {"error": f"{path} takes {other_methods[path]}"}, other_methods[path])
        else:
            self.reply(404, {"error": f"no such endpoint: {path}"})

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own errors (a malformed request, an unsupported method) in JSON too.
        self.close_connection = True
        self.reply(code, {"error": message or self.responses[code][0]})

    def reply(self, status: int, document: dict, allow: str | None = None) -> None:
        body = (json.dumps(document) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        self.wfile.write(body)


def log(message: str) -> None:
    print(f"server.py: {message}", file=sys.stderr, flush=True)


def main() -> int:
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8080"))
    path = Path(os.environ.get("MODEL_PATH", Path(__file__).with_name("weights.json")))
    delay = float(os.environ.get("MODEL_LOAD_DELAY", "2"))
    try:
        server = ModelServer((host, port), Handler)
    except OSError as error:
        log(f"cannot listen on {host}:{port}: {error.strerror}")
        return 1
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, name="http")
    serving.start()
    log(f"listening on {host}:{port}: /health answers now, /ready once the model is loaded")
    status = 0
    if not stop.wait(delay):  # the load step: a signal meanwhile stops the server at once
        try:
            server.model = load_model(path)
            log(f"loaded {server.model.name} {server.model.version} from {path}: ready")
        except ModelError as error:
            log(f"cannot load the model, stopping: {error}")
            status = 1
            stop.set()
    stop.wait()
    log("stopping: no new connections, finishing the requests in progress")
    server.shutdown()
    server.server_close()
    serving.join()
    return status


if __name__ == "__main__":
    sys.exit(main())
