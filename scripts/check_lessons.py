"""`make check-lessons`: every lesson checked as the build checks it, without building the site.

For each `docs/lessons/<slug>/`: the lesson file (schema and cross-checks, macros/loader.py),
its two pages beside it, each page's macro calls and snippet paths (macros/page_checks.py), the
`##` headings the learning modes need, and the size of the flow's Mermaid source. Problems are
printed as the build prints them, `file:line: ...`, one a line, and the exit status is 1; with
none, it prints `N lessons OK` and exits 0. Warnings (valid text that may be a mistake, such as
an invisible character in prose) go to stderr and do not fail the check. It starts no browser and
renders nothing.

    .venv/bin/python scripts/check_lessons.py [--project DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jinja2  # noqa: E402
import yaml  # noqa: E402

from macros import render  # noqa: E402
from macros.loader import (  # noqa: E402
    LESSON_FILE,
    LESSONS_DIR,
    LessonError,
    example_problems,
    glossary_from_problems,
    lesson_warnings,
    load_lesson,
)
from macros.models import Lesson  # noqa: E402
from macros.page_checks import (  # noqa: E402
    LESSON_MACROS,
    PAGE_FILES,
    PageProblem,
    check_page,
    check_snippets,
    front_matter_problems,
    missing_mode_headings,
)

# What a page may call besides the lesson macros: the site's other macros (macros/__init__.py)
# and what mkdocs-macros itself defines, so the check knows every name the build knows.
MACROS = {name: getattr(render, name) for name in LESSON_MACROS} | {
    "lesson_catalog": lambda: "",
    "lesson_field_reference": lambda: "",
}
MKDOCS_MACROS_NAMES = (
    *("config", "page", "extra", "environment", "plugin", "git", "navigation", "files"),
    *("macros", "filters", "filters_builtin", "context", "macros_info", "now", "fix_url"),
    "pretty",
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)


def check(project: Path, warnings: list[str] | None = None) -> tuple[int, list[str]]:
    """The number of lessons and every problem with them, as `file:line: message` lines; what is
    valid but may be a mistake is added to `warnings` when it is given."""
    docs_dir, bases = _site_config(project)
    lessons_dir = docs_dir / LESSONS_DIR
    problems: list[str] = []
    lessons: dict[str, Lesson] = {}
    folders = sorted({p.parent for p in lessons_dir.glob("*/*") if p.name in _FILES})
    for folder in folders:
        data = folder / LESSON_FILE
        if not data.exists() and not data.is_symlink():
            for name in PAGE_FILES.values():
                if (folder / name).exists():
                    page = _shown(folder / name, project)
                    problems.append(
                        f"{page}:1: expected the lesson's data beside its page, "
                        f"{_shown(data, project)}, got no file"
                    )
            continue
        try:
            lessons[folder.name] = load_lesson(data, relative_to=project)
        except LessonError as error:
            problems += error.lines
        else:
            problems += example_problems(lessons[folder.name], data, project)
            if warnings is not None:
                warnings += lesson_warnings(data, relative_to=project)
        # A lesson's pages show files from its own example only (unknown while it is broken).
        example = lessons[folder.name].example if folder.name in lessons else None
        for kind, name in PAGE_FILES.items():
            problems += _page_problems(folder / name, kind, project, bases, example)
    for slug, lesson in lessons.items():
        problems += glossary_from_problems(
            lesson, lessons_dir / slug / LESSON_FILE, lessons, project
        )
        size = max(len(render.mermaid_source(lesson, d)) for d in ("LR", "TB"))
        if size > render.MERMAID_MAX_TEXT_SIZE:
            problems.append(
                f"{_shown(lessons_dir / slug / LESSON_FILE, project)}:1: flow: expected a "
                f"diagram of at most {render.MERMAID_MAX_TEXT_SIZE:,} characters of Mermaid "
                f"source, got {size:,}"
            )
    return len(folders), problems


_FILES = (LESSON_FILE, *PAGE_FILES.values())


def _page_problems(
    page: Path, kind: str, project: Path, bases: list[Path], example: str | None
) -> list[str]:
    shown = _shown(page, project)
    if page.is_symlink() or not page.is_file():
        what = "page" if kind == "lesson" else f"{kind} page"
        return [f"{shown}:1: expected the lesson's {what} beside its {LESSON_FILE}, got no file"]
    data = page.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return [f"{shown}:{line}: expected UTF-8 text, got {error.reason}"]
    front = _FRONT_MATTER.match(text)
    offset = text.count("\n", 0, front.end()) if front else 0
    markdown = text[front.end() :] if front else text
    meta = yaml.safe_load(front.group(0).strip().strip("-.")) if front else None
    found: list[PageProblem] = []
    if front:
        # Reported at the file's first line, where the front matter starts.
        found += [
            PageProblem(p.line - offset, p.message)
            for p in front_matter_problems(meta if isinstance(meta, dict) else {"": None}, kind)
        ]
    found += check_snippets(markdown, bases, project, folder=example)
    found += check_page(
        markdown,
        macros=MACROS,
        lesson_macros=LESSON_MACROS,
        names=MKDOCS_MACROS_NAMES,
        kind=kind,
        environment=jinja2.Environment(),
    )
    if kind == "lesson":
        found += missing_mode_headings(markdown, render.LEARNING_MODES)
    return [f"{shown}:{p.line + offset}: {p.message}" for p in sorted(found, key=_line)]


def _line(problem: PageProblem) -> int:
    return problem.line


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: its tags (`!ENV`, `!relative`) read as the text they hold."""


def _tagged(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _tagged)


def _site_config(project: Path) -> tuple[Path, list[Path]]:
    """The docs folder and pymdownx.snippets' base paths, as mkdocs.yml sets them."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), _ConfigLoader)
    config = config if isinstance(config, dict) else {}
    docs_dir = project / str(config.get("docs_dir", "docs"))
    bases: list[Path] = [project]
    for extension in config.get("markdown_extensions") or []:
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            options = extension["pymdownx.snippets"] or {}
            given = options.get("base_path", ["."])
            given = [given] if isinstance(given, str) else given
            # `!relative $config_dir/x` is mkdocs.yml's folder; a plain path is relative to it
            # too when mkdocs runs there, as `make` does.
            bases = [project / str(base).replace("$config_dir", ".", 1) for base in given]
    return docs_dir, bases


def _shown(path: Path, project: Path) -> str:
    return (path.relative_to(project) if path.is_relative_to(project) else path).as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="the site's folder")
    project = parser.parse_args(argv).project.resolve()
    warnings: list[str] = []
    try:
        count, problems = check(project, warnings)
    except (OSError, yaml.YAMLError) as error:
        # mkdocs.yml missing or unreadable, a folder that cannot be listed: one line, no traceback.
        print(f"check-lessons: {error}", file=sys.stderr)
        return 1
    if warnings:
        # Valid text the author may not have meant: said, but not a failure.
        print("\n".join(warnings), file=sys.stderr)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"{count} lesson{'s' if count != 1 else ''} OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
