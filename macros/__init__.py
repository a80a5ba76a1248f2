"""mkdocs-macros entry point: wires the lesson loader to the renderers. No rendering logic here.

Lesson files are loaded once per build, when mkdocs-macros calls `define_env` during
`on_config`, so a broken file stops the build before any page is rendered. The error is raised
as a PluginError, which mkdocs reports as a plain message, without a traceback.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from . import render
from .field_reference import field_reference
from .loader import LESSON_FILE, LESSONS_DIR, LessonError, load_lessons
from .models import Lesson

MERMAID_DIST = Path("node_modules", "mermaid", "dist")
MERMAID_SITE_DIR = Path("assets", "vendor", "mermaid")
LESSON_PAGE = "index.md"


def define_env(env) -> None:
    project_dir = Path(env.project_dir)
    docs_dir = Path(env.conf["docs_dir"])
    try:
        lessons = load_lessons(docs_dir, project_dir)
    except LessonError as error:
        raise PluginError(str(error)) from None
    _require_lesson_pages(lessons, docs_dir, project_dir)
    _require_mermaid(project_dir)

    def page_lesson() -> Lesson:
        src = PurePosixPath(env.page.file.src_uri)
        if len(src.parts) >= 2 and src.parts[0] == LESSONS_DIR and src.parts[1] in lessons:
            return lessons[src.parts[1]]
        raise PluginError(
            f"{docs_dir.name}/{src}: lesson macros only work on a lesson page, "
            f"{LESSONS_DIR}/<slug>/{LESSON_PAGE} beside its {LESSON_FILE}"
        )

    def lesson_url(lesson: Lesson) -> str:
        target = (
            f"{LESSONS_DIR}/{lesson.id}/"
            if env.conf["use_directory_urls"]
            else (f"{LESSONS_DIR}/{lesson.id}/index.html")
        )
        return get_relative_url(target, env.page.url or ".")

    def bind(renderer):
        def macro(*args):
            return renderer(page_lesson(), *args)

        macro.__doc__ = renderer.__doc__
        return macro

    for name in (
        "lesson_meta",
        "process_flow",
        "execution_sample",
        "process_table",
        "status_tracker",
        "key_moments",
        "quiz",
        "concept_snapshot",
        "transcript",
        "step_through",
        "mode_picker",
        "glossary",
        "flashcards",
        "cheat_sheet",
    ):
        env.macro(bind(getattr(render, name)), name)
    env.macro(lambda: page_lesson().title, "lesson_title")
    env.macro(
        lambda: render.lesson_catalog((lesson, lesson_url(lesson)) for lesson in lessons.values()),
        "lesson_catalog",
    )
    env.macro(lambda: field_reference(Lesson), "lesson_field_reference")


def on_post_build(env) -> None:
    _require_mode_sections(env)
    _copy_mermaid(env)


def _require_mode_sections(env) -> None:
    """Every learning mode shows sections by their heading ids: a lesson page without one of
    them (a heading renamed, say) would leave that mode half empty, so the build stops."""
    site_dir = Path(env.conf["site_dir"])
    docs = Path(env.conf["docs_dir"]).name
    problems = []
    for lesson_dir in sorted((site_dir / LESSONS_DIR).glob("*/")):
        page = lesson_dir / "index.html"
        if not page.is_file():
            continue
        headings = set(re.findall(r'<h2 id="([^"]+)"', page.read_text(encoding="utf-8")))
        for mode in render.LEARNING_MODES:
            for section in mode.sections:
                if section not in headings:
                    problems.append(
                        f"{docs}/{LESSONS_DIR}/{lesson_dir.name}/{LESSON_PAGE}: the "
                        f"{mode.label!r} learning mode shows the section #{section}, "
                        f"expected a `##` heading with that id, got none"
                    )
    if problems:
        raise PluginError("\n".join(dict.fromkeys(problems)))


def _copy_mermaid(env) -> None:
    """Serve Mermaid's ESM build from the site's own origin; it is fetched only when drawn."""
    source = Path(env.project_dir) / MERMAID_DIST
    target = Path(env.conf["site_dir"]) / MERMAID_SITE_DIR
    shutil.rmtree(target, ignore_errors=True)
    for path in [source / "mermaid.esm.min.mjs", *source.glob("chunks/mermaid.esm.min/*.mjs")]:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    shutil.copyfile(source.parent / "LICENSE", target / "LICENSE")


def _require_lesson_pages(lessons: dict[str, Lesson], docs_dir: Path, project_dir: Path) -> None:
    for slug in lessons:
        page = docs_dir / LESSONS_DIR / slug / LESSON_PAGE
        if not page.is_file():
            shown = page.relative_to(project_dir) if page.is_relative_to(project_dir) else page
            raise PluginError(
                f"{shown}: expected the lesson's page beside its {LESSON_FILE}, got no file"
            )


def _require_mermaid(project_dir: Path) -> None:
    if not (project_dir / MERMAID_DIST / "mermaid.esm.min.mjs").is_file():
        raise PluginError(
            f"{MERMAID_DIST}/mermaid.esm.min.mjs is missing: run `make setup` "
            "(or `npm ci`) to install the front-end dependencies"
        )
