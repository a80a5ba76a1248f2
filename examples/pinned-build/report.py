"""Print the dependency set this Python interpreter sees, as JSON that is the same for every build
of the same lock file.

The report lists every installed distribution as `name==version` (names normalised as pip does:
lower case, runs of `-`, `_` and `.` as one `-`), sorted by name, and one sha256 over those lines.
Two builds with the same report installed the same versions of the same packages (not always the
same files: each interpreter and CPU architecture gets its own wheel of a version). Nothing that
can differ between two builds of the same lock is printed: no time, path, host name, CPU
architecture or interpreter version.

Left out are the installer's own tools, pip, setuptools and wheel. They are not in the lock: they
come with the base image or the virtual environment (python:3.12-slim ships pip; a Python 3.11
venv adds setuptools; Debian's python3-pip brings setuptools and wheel), so they say which base
was used, not which lock. `--environment` adds them, with the interpreter and the architecture,
and the tags of each installed wheel, in a separate section: what the lock does not pin.

The sha256 can be checked by hand: it is the hash of the listed lines, each ending in a line
break, as UTF-8. For example: printf 'numpy==2.3.5\\n...' | sha256sum
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import sys
from importlib import metadata

INSTALLER_TOOLS = ("pip", "setuptools", "wheel")


def canonical(name: str) -> str:
    """A distribution name as pip compares it (PEP 503): `Python_Dateutil` is `python-dateutil`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> dict[str, str]:
    """Every distribution the interpreter can import, name to version. Where one name is
    installed twice (a system copy and a newer one), the first on sys.path is the one Python
    imports, and `distributions()` yields them in that order, so the first one wins here too."""
    found: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if name:  # a half-removed install can leave a metadata directory without a name
            found.setdefault(canonical(name), distribution.version)
    return found


def dependency_lines(packages: dict[str, str]) -> list[str]:
    return [
        f"{name}=={version}"
        for name, version in sorted(packages.items())
        if name not in INSTALLER_TOOLS
    ]


def fingerprint(lines: list[str]) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode("utf-8")).hexdigest()


def wheel_tags() -> dict[str, str]:
    """For each package of the dependency set, the tags of the wheel file pip installed, such as
    `cp312-cp312-manylinux_2_27_x86_64`: the same version is a different file on another
    interpreter or CPU architecture."""
    tags: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = canonical(distribution.metadata["Name"] or "")
        if not name or name in INSTALLER_TOOLS or name in tags:
            continue
        wheel = distribution.read_text("WHEEL") or ""
        found = [
            line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")
        ]
        tags[name] = ", ".join(found) or "unknown (not installed from a wheel)"
    return dict(sorted(tags.items()))


def environment(packages: dict[str, str]) -> dict:
    """What differs from base to base and machine to machine, even with the same lock."""
    tools = {name: packages[name] for name in INSTALLER_TOOLS if name in packages}
    return {
        "python": platform.python_version(),
        "architecture": platform.machine(),
        "installer_tools": ", ".join(f"{name}=={version}" for name, version in tools.items()),
        "wheel_tags": wheel_tags(),
    }


def to_json(report: dict) -> str:
    """Indented JSON, one package per line, so two reports diff line by line."""
    return json.dumps(report, indent=2) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Print the installed dependency set and its sha256, as JSON."
    )
    parser.add_argument(
        "--environment",
        action="store_true",
        help="also print the interpreter, the architecture, the installer's tools and the "
        "installed wheels' tags (these can differ between builds of one lock; the dependency "
        "set and its sha256 do not)",
    )
    arguments = parser.parse_args()
    packages = installed()
    lines = dependency_lines(packages)
    report: dict = {"dependency_set": lines, "sha256": fingerprint(lines)}
    if arguments.environment:
        report["environment"] = environment(packages)
    sys.stdout.write(to_json(report))


if __name__ == "__main__":
    main()
