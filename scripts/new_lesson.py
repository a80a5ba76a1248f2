"""Scaffold a new lesson: `make lesson SLUG=my-pattern` (this script, given the slug).

Writes docs/lessons/<slug>/ (lesson.yml, index.md, test.md) and examples/<slug>/ (a Dockerfile,
a tiny program, commands.sh, expected-output.json, image-check.sh), from the templates in
scripts/lesson-template/. The scaffold is a complete, valid lesson: the site builds strictly
with it at once, and the navigation and the catalog list it by themselves. Every text to
replace starts with PLACEHOLDER_MARK; the test suite fails while any is left (see
tests/test_every_lesson.py), so a scaffold cannot be published by accident.

Exit status 2, with one line, for a slug that is not kebab-case or a lesson that exists.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "scripts" / "lesson-template"
PLACEHOLDER_MARK = "TODO:"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Template file -> where it goes, under the project.
FILES = {
    "lesson.yml": "docs/lessons/{slug}/lesson.yml",
    "index.md": "docs/lessons/{slug}/index.md",
    "test.md": "docs/lessons/{slug}/test.md",
    "example/Dockerfile": "examples/{slug}/Dockerfile",
    "example/main.py": "examples/{slug}/main.py",
    "example/commands.sh": "examples/{slug}/commands.sh",
    "example/expected-output.json": "examples/{slug}/expected-output.json",
    "example/image-check.sh": "examples/{slug}/image-check.sh",
}


def scaffold(slug: str, project: Path) -> list[Path]:
    """Writes the new lesson's files into `project`; returns them. Raises ValueError with the
    reason when it cannot."""
    if not SLUG.fullmatch(slug) or len(slug) > 64:
        raise ValueError(f"expected a kebab-case slug such as my-pattern, got {slug!r}")
    targets = {name: project / path.format(slug=slug) for name, path in FILES.items()}
    for folder in {targets["lesson.yml"].parent, targets["example/Dockerfile"].parent}:
        if folder.exists():
            raise ValueError(f"{folder.relative_to(project)} exists already")
    for name, target in targets.items():
        text = (TEMPLATES / name).read_text(encoding="utf-8").replace("{slug}", slug)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if target.suffix == ".sh":
            target.chmod(0o755)
    return list(targets.values())


def placeholders(project: Path) -> list[str]:
    """`file:line` of every scaffold placeholder left in the lessons and their examples."""
    found = []
    for path in sorted([*project.glob("docs/lessons/*/*"), *project.glob("examples/*/*")]):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, 1):
            if PLACEHOLDER_MARK in line:
                found.append(f"{path.relative_to(project).as_posix()}:{number}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug", help="kebab-case: the folder, the lesson's id and its URL")
    args = parser.parse_args()
    try:
        written = scaffold(args.slug, ROOT)
    except ValueError as error:
        print(f"make lesson: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(
        f"Next: `make serve`, open /lessons/{args.slug}/, and replace every text that starts "
        f"with {PLACEHOLDER_MARK!r} (the tests fail while one is left). The guide: "
        "docs/contributing.md."
    )


if __name__ == "__main__":
    main()
