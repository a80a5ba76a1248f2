"""The pinned-build example: a lock with hashes and a base image digest give the same dependency
set on every install, and the report that shows it is deterministic.

No container engine is needed: the report runs in a fresh virtual environment that has exactly
the locked packages, installed with the Dockerfile's own pip options, which is what the image
does on top of its pinned base. pip itself is checked to refuse what the lesson says it refuses.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import platform
import re
import shlex
import subprocess
import sys
import venv
from pathlib import Path
from types import SimpleNamespace

import pytest

from macros.loader import load_lessons
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "pinned-build"
LESSON = ROOT / "docs" / "lessons" / "reproducible-builds"
BIN = Path(sys.executable).parent
EXPECTED = (EXAMPLE / "expected-output.json").read_text(encoding="utf-8")
# The pip options of the Dockerfile's install, used for every install below.
PIP_OPTIONS = ["--require-hashes", "--only-binary=:all:", "--disable-pip-version-check"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$", re.MULTILINE)
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})\b")


def lock_entries(text: str) -> dict[str, tuple[str, list[str]]]:
    """name: (version, hashes) of each entry of a pip-compile lock."""
    entries = {}
    for block in re.split(r"\n(?=\S)", text):
        pin = PIN.match(block)
        if pin:
            entries[pin.group(1)] = (pin.group(2), HASH.findall(block))
    return entries


LOCK_TEXT = (EXAMPLE / "requirements.txt").read_text(encoding="utf-8")
LOCK = lock_entries(LOCK_TEXT)


def run(*args, cwd: Path = EXAMPLE, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, check=check
    )


def pip(python: Path, *args) -> subprocess.CompletedProcess:
    return run(python, "-m", "pip", *args)


@pytest.fixture(scope="module")
def locked_python(tmp_path_factory) -> Path:
    """A fresh virtual environment with exactly the locked packages (and the pip and setuptools
    that `venv` brings)."""
    env = tmp_path_factory.mktemp("pinned-venv")
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    result = pip(python, "install", "--quiet", *PIP_OPTIONS, "-r", EXAMPLE / "requirements.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    return python


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> Path:
    """A fresh virtual environment with nothing installed but what `venv` brings."""
    env = tmp_path_factory.mktemp("bare-venv")
    venv.create(env, with_pip=True)
    return env / "bin" / "python"


def report(python: Path, *args: str) -> str:
    return run(python, EXAMPLE / "report.py", *args, check=True).stdout


def load_report_module():
    """report.py as a module, without writing a __pycache__ into the example."""
    spec = importlib.util.spec_from_file_location("pinned_build_report", EXAMPLE / "report.py")
    module = importlib.util.module_from_spec(spec)
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def fake_distribution(name: str | None, version: str, wheel: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        metadata={"Name": name}, version=version, read_text=lambda file: wheel or None
    )


# The report, run on the locked set


def test_the_locked_set_prints_exactly_the_expected_output(locked_python):
    assert report(locked_python) == EXPECTED


def test_the_report_is_the_same_bytes_every_run(locked_python):
    assert report(locked_python) == report(locked_python)


def test_the_report_lists_exactly_the_lock_and_nothing_from_the_virtual_environment(
    locked_python,
):
    listed = json.loads(report(locked_python))["dependency_set"]
    assert listed == sorted(f"{name}=={version}" for name, (version, _) in LOCK.items())
    # venv brought pip (and on Python 3.11 setuptools); they are installed, and left out.
    assert pip(locked_python, "show", "pip").returncode == 0
    assert not [line for line in listed if line.split("==")[0] in ("pip", "setuptools", "wheel")]


def test_the_sha256_is_the_hash_of_the_listed_lines():
    expected = json.loads(EXPECTED)
    text = "".join(f"{line}\n" for line in expected["dependency_set"])
    assert expected["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert list(expected) == ["dependency_set", "sha256"]


def test_an_environment_without_the_lock_prints_another_report(bare_python):
    printed = json.loads(report(bare_python))
    assert printed["dependency_set"] == []
    assert printed["sha256"] == hashlib.sha256(b"").hexdigest() != json.loads(EXPECTED)["sha256"]


def test_the_environment_section_adds_what_the_lock_does_not_pin_and_changes_nothing_else(
    locked_python,
):
    plain = json.loads(report(locked_python))
    full = json.loads(report(locked_python, "--environment"))
    assert {k: v for k, v in full.items() if k != "environment"} == plain
    environment = full["environment"]
    assert list(environment) == ["python", "architecture", "installer_tools", "wheel_tags"]
    # The virtual environment is made from the interpreter running these tests.
    assert environment["python"] == platform.python_version()
    assert environment["architecture"] == platform.machine()
    assert re.match(r"pip==\S+", environment["installer_tools"])
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    numpy = environment["wheel_tags"]["numpy"]
    assert numpy.startswith(f"{tag}-{tag}-") and platform.machine() in numpy
    assert environment["wheel_tags"]["six"] == "py2-none-any, py3-none-any"


# The report's rules, on made-up installs


@pytest.fixture
def report_module():
    return load_report_module()


def test_installer_tools_are_left_out_and_any_other_package_is_listed(report_module, monkeypatch):
    installed = [
        fake_distribution("numpy", "2.3.5"),
        fake_distribution("pip", "25.0"),
        fake_distribution("setuptools", "80.0"),
        fake_distribution("wheel", "0.45"),
        fake_distribution("requests", "2.32.0"),  # installed by a step the lock does not govern
    ]
    monkeypatch.setattr(report_module.metadata, "distributions", lambda: iter(installed))
    lines = report_module.dependency_lines(report_module.installed())
    assert lines == ["numpy==2.3.5", "requests==2.32.0"]


def test_names_are_normalised_sorted_and_the_first_copy_on_the_path_wins(
    report_module, monkeypatch
):
    installed = [
        fake_distribution("Six", "1.17.0"),
        fake_distribution("python_dateutil", "2.9.0.post0"),
        fake_distribution("six", "1.16.0"),  # an older copy further down sys.path
        fake_distribution(None, "0"),  # metadata left behind without a name
    ]
    monkeypatch.setattr(report_module.metadata, "distributions", lambda: iter(installed))
    lines = report_module.dependency_lines(report_module.installed())
    assert lines == ["python-dateutil==2.9.0.post0", "six==1.17.0"]


def test_one_drifted_version_changes_the_sha256(report_module):
    pinned = json.loads(EXPECTED)["dependency_set"]
    drifted = [line.replace("numpy==2.3.5", "numpy==2.4.0") for line in pinned]
    assert drifted != pinned
    assert report_module.fingerprint(pinned) == json.loads(EXPECTED)["sha256"]
    assert report_module.fingerprint(drifted) != report_module.fingerprint(pinned)


def test_wheel_tags_say_when_a_package_was_not_installed_from_a_wheel(report_module, monkeypatch):
    installed = [
        fake_distribution("numpy", "2.3.5", "Wheel-Version: 1.0\nTag: cp312-cp312-x\n"),
        fake_distribution("legacy", "1.0"),
        fake_distribution("pip", "25.0", "Tag: py3-none-any\n"),
    ]
    monkeypatch.setattr(report_module.metadata, "distributions", lambda: iter(installed))
    assert report_module.wheel_tags() == {
        "legacy": "unknown (not installed from a wheel)",
        "numpy": "cp312-cp312-x",
    }


def test_the_report_refuses_an_unknown_option(locked_python):
    result = run(locked_python, EXAMPLE / "report.py", "--env-report")
    assert result.returncode == 2 and result.stdout == ""
    assert "unrecognized arguments: --env-report" in result.stderr


# The committed reports: the same lock in two virtual environments


@pytest.mark.parametrize(
    ("name", "python"), [("venv-python3.11", "3.11"), ("venv-python3.12", "3.12")]
)
def test_each_committed_report_has_the_expected_dependency_set_and_its_own_interpreter(
    name, python
):
    recorded = json.loads((EXAMPLE / "reports" / f"{name}.json").read_text(encoding="utf-8"))
    environment = recorded.pop("environment")
    assert json.dumps(recorded, indent=2) + "\n" == EXPECTED
    assert environment["python"].startswith(f"{python}.")
    tag = "cp" + python.replace(".", "")
    assert environment["wheel_tags"]["numpy"].startswith(f"{tag}-{tag}-manylinux")


def test_the_committed_reports_differ_only_outside_the_dependency_set():
    first, second = (
        json.loads((EXAMPLE / "reports" / f"venv-python{v}.json").read_text(encoding="utf-8"))
        for v in ("3.11", "3.12")
    )
    differ = {
        key
        for key in first["environment"]
        if first["environment"][key] != second["environment"][key]
    }
    assert differ == {"python", "installer_tools", "wheel_tags"}
    assert (first["dependency_set"], first["sha256"]) == (
        second["dependency_set"],
        second["sha256"],
    )


# The lock


def test_every_entry_of_the_lock_is_an_exact_pin_with_hashes():
    assert set(LOCK) == {"numpy", "python-dateutil", "six"}
    assert len(LOCK) == LOCK_TEXT.count("=="), "a pin that is not followed by hashes"
    for name, (version, hashes) in LOCK.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.]*", version), (name, version)
        assert hashes and len(hashes) == len(set(hashes)), name
    # numpy has compiled code: a wheel per Python version and platform, and a source archive.
    assert len(LOCK["numpy"][1]) > 40 and len(LOCK["six"][1]) == 2


def test_the_lock_pins_every_direct_requirement_at_the_version_asked_for():
    direct = [
        line.split("==")
        for line in (EXAMPLE / "requirements.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert direct == [["numpy", "2.3.5"], ["python-dateutil", "2.9.0.post0"]]
    for name, version in direct:
        assert LOCK[name][0] == version
    # six is there only because python-dateutil needs it.
    assert "six==1.17.0 \\" in LOCK_TEXT
    assert re.search(
        r"six==1\.17\.0 \\\n(?:\s+--hash=\S+ ?\\?\n)+\s+# via python-dateutil", LOCK_TEXT
    )


def test_the_lock_was_compiled_with_the_base_images_python_version():
    dockerfile = (EXAMPLE / "Dockerfile").read_text(encoding="utf-8")
    base_python = re.search(r"ARG BASE_IMAGE=python:(\d+\.\d+)-slim@", dockerfile).group(1)
    assert f"autogenerated by pip-compile with Python {base_python}\n" in LOCK_TEXT


@pytest.mark.parametrize("python", ["3.11", "3.12"])
@pytest.mark.parametrize("platform_tag", ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64"])
def test_the_lock_installs_on_each_supported_python_and_architecture(
    tmp_path, python, platform_tag
):
    """pip downloads the wheels a build on that platform would install, and checks each one
    against the lock's hashes."""
    result = pip(
        Path(sys.executable),
        "download",
        "--quiet",
        *PIP_OPTIONS,
        *["--no-deps", "--platform", platform_tag, "--python-version", python],
        *["--implementation", "cp", "--abi", "cp" + python.replace(".", "")],
        *["-r", EXAMPLE / "requirements.txt", "-d", tmp_path],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(path.name for path in tmp_path.iterdir())
    tag = "cp" + python.replace(".", "")
    assert [f.split("-")[0] for f in files] == ["numpy", "python_dateutil", "six"]
    assert (
        files[0].startswith(f"numpy-2.3.5-{tag}-{tag}-")
        and platform_tag.split("_", 3)[-1] in files[0]
    )
    for path in tmp_path.iterdir():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in LOCK[path.name.split("-")[0].replace("_", "-")][1], path.name


def test_the_lock_does_not_install_on_python_3_10(tmp_path, locked_python):
    """The lesson's claim: the lock does not bring an interpreter, and numpy 2.3.5 requires
    Python 3.11 or newer."""
    requires = run(
        locked_python, "-c", "from importlib import metadata; "
        "print(metadata.metadata('numpy')['Requires-Python'])", check=True,
    )  # fmt: skip
    assert requires.stdout == ">=3.11\n"
    result = pip(
        Path(sys.executable),
        "download",
        *PIP_OPTIONS,
        *["--no-deps", "--platform", "manylinux_2_28_x86_64", "--python-version", "3.10"],
        *["--implementation", "cp", "--abi", "cp310"],
        *["-r", EXAMPLE / "requirements.txt", "-d", tmp_path],
    )
    assert result.returncode != 0
    assert "numpy==2.3.5" in result.stderr
    assert not list(tmp_path.glob("numpy-*"))


# What pip refuses, as the lesson's "Break it" says


def lock_entry(name: str) -> str:
    """One entry of the lock as written: the pin and its hashes, without the `# via` line."""
    return re.search(rf"^{name}==.*?(?=\n\s+# via)", LOCK_TEXT, re.MULTILINE | re.DOTALL).group(0)


def download(python: Path, lock: str, where: Path) -> subprocess.CompletedProcess:
    (where / "requirements.txt").write_text(lock + "\n", encoding="utf-8")
    return run(
        python, "-m", "pip", "download", *PIP_OPTIONS, "-r", "requirements.txt", "-d", "dl",
        cwd=where,
    )  # fmt: skip


def test_pip_takes_the_files_whose_hashes_the_lock_lists(tmp_path, bare_python):
    result = download(bare_python, lock_entry("six"), tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "dl").iterdir()] == ["six-1.17.0-py2.py3-none-any.whl"]


def test_pip_refuses_a_file_whose_hash_the_lock_does_not_list(tmp_path, bare_python):
    entry = lock_entry("six")
    # One hexadecimal digit changed in each of six's hashes.
    broken = re.sub(r"sha256:(.)", lambda m: "sha256:" + "01"[m.group(1) == "0"], entry)
    assert broken != entry and broken.count("sha256:") == 2
    result = download(bare_python, broken, tmp_path)
    assert result.returncode == 1
    assert "THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE" in result.stderr
    assert not list((tmp_path / "dl").glob("six-*"))


def test_pip_refuses_a_lock_with_a_dependency_left_out(tmp_path, bare_python):
    result = download(bare_python, lock_entry("python-dateutil"), tmp_path)
    assert result.returncode == 1
    assert "all requirements must have their versions pinned with ==" in result.stderr
    assert "six>=1.5" in result.stderr


def test_the_unpinned_requirements_name_the_same_packages_with_no_version_or_hash():
    lines = [
        line.strip()
        for line in (EXAMPLE / "requirements-unpinned.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["numpy", "python-dateutil"]


# The Dockerfile, the build context and the commands


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (EXAMPLE / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        tuple(line.split(None, 1))
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_base_image_is_pinned_by_digest():
    instructions = dockerfile_instructions()
    assert instructions[0][0] == "ARG"
    assert re.fullmatch(r"BASE_IMAGE=python:3\.12-slim@sha256:[0-9a-f]{64}", instructions[0][1])
    assert instructions[1] == ("FROM", "${BASE_IMAGE}")
    assert [i for i in instructions if i[0] == "FROM"] == [("FROM", "${BASE_IMAGE}")]


def test_the_install_takes_only_hashed_wheels_from_the_lock_before_the_code_is_copied():
    instructions = dockerfile_instructions()
    installs = [args for op, args in instructions if op == "RUN" and "pip" in args]
    assert installs == [
        "python -m pip install --no-cache-dir --require-hashes --only-binary=:all: "
        "-r requirements.txt"
    ]
    order = [args for op, args in instructions if op in ("COPY", "RUN", "USER", "CMD")]
    assert order.index("requirements.txt .") < order.index(installs[0]) < order.index("report.py .")
    assert not [args for op, args in instructions if op == "RUN" and "apt-get" in args]


def test_the_report_runs_as_a_fixed_unprivileged_user():
    instructions = dockerfile_instructions()
    assert ("USER", "10001") in instructions
    assert instructions[-2:] == [("USER", "10001"), ("CMD", '["python", "report.py"]')]
    assert (
        "--uid 10001" in dict(i for i in instructions if i[0] == "RUN" and "useradd" in i[1])["RUN"]
    )


def test_hadolint_reports_nothing_on_the_dockerfile():
    result = run(BIN / "hadolint", EXAMPLE / "Dockerfile", cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_the_build_context_admits_only_the_lock_and_the_report():
    rules = [
        line
        for line in (EXAMPLE / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    # So the saved reports, reports/ and the unpinned requirements never reach the build.
    assert rules == ["*", "!requirements.txt", "!report.py"]


def script_commands() -> list[str]:
    lines = (EXAMPLE / "commands.sh").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#") and line != "set -e"]


def test_the_commands_build_twice_from_scratch_and_compare_both_reports():
    commands = [shlex.split(c) for c in script_commands()]
    builds = [c for c in commands if c[:2] == ["docker", "build"]]
    assert len(builds) == 2 and all("--no-cache" in c for c in builds)
    tags = [c[c.index("-t") + 1] for c in builds]
    assert len(set(tags)) == 2
    runs = [c for c in commands if c[:2] == ["docker", "run"]]
    assert [(r[-3], r[-2], r[-1]) for r in runs] == [
        (tags[0], ">", "first.json"),
        (tags[1], ">", "second.json"),
    ]
    assert commands[-2:] == [
        ["diff", "first.json", "second.json"],
        ["diff", "first.json", "expected-output.json"],
    ]
    assert "set -e" in (EXAMPLE / "commands.sh").read_text(encoding="utf-8").splitlines()


def test_the_saved_reports_stay_out_of_git():
    ignored = (EXAMPLE / ".gitignore").read_text(encoding="utf-8").split()
    assert {"first.json", "second.json"} <= set(ignored)


# The lesson, held to the example


@pytest.fixture(scope="module")
def lesson():
    return load_lessons(ROOT / "docs", ROOT)["reproducible-builds"]


def test_the_execution_sample_is_exactly_the_commands_the_example_runs(lesson):
    assert [c.command for c in lesson.execution_sample.commands] == script_commands()


def test_the_lessons_sha256_and_versions_are_the_examples(lesson):
    expected = json.loads(EXPECTED)
    short = expected["sha256"][:8]
    report_row = next(v for v in lesson.status_tracker.variables if v.id == "report")
    assert report_row.values["after-first-build"] == f"{short}..."
    page = (LESSON / "index.md").read_text(encoding="utf-8")
    (printf,) = re.findall(r"^printf '(.*)' \| sha256sum$", page, re.MULTILINE)
    assert printf.split("\\n")[:-1] == expected["dependency_set"]
    versions = ", ".join(line.replace("==", " ") for line in expected["dependency_set"])
    packages = next(v for v in lesson.status_tracker.variables if v.id == "python-packages")
    assert packages.values["after-first-build"] == versions
