"""mkdocs hooks (listed under `hooks:` in mkdocs.yml): glue between the lessons' glossaries and
every page's HTML. The linking itself is the pure `glossary.link_terms`.

mkdocs loads this file by path, not as part of the `macros` package, so the project directory
is put on the import path first: the package is the same one mkdocs-macros imports.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.utils import get_relative_url  # noqa: E402

from macros.glossary import TermLink, link_terms, term_link  # noqa: E402
from macros.loader import LESSONS_DIR, LessonError, load_lessons  # noqa: E402
from macros.models import Lesson  # noqa: E402

_lessons: dict[str, Lesson] = {}


def on_config(config):
    _lessons.clear()
    # A broken lesson has already stopped the build in mkdocs-macros, with the full report.
    with suppress(LessonError):
        _lessons.update(
            load_lessons(Path(config["docs_dir"]), Path(config["config_file_path"]).parent)
        )
    return config


def on_page_content(html: str, page, config, files) -> str:
    return link_terms(html, _terms_for(page.url, config["use_directory_urls"]))


def _terms_for(page_url: str, directory_urls: bool) -> list[TermLink]:
    """Each term links to the lesson that defines it: the page's own lesson first, then the
    others in slug order."""
    own = page_url.split("/")[1] if page_url.startswith(f"{LESSONS_DIR}/") else None
    ordered = sorted(_lessons.values(), key=lambda lesson: (lesson.id != own, lesson.id))
    terms = []
    for lesson in ordered:
        target = f"{LESSONS_DIR}/{lesson.id}/" + ("" if directory_urls else "index.html")
        base = "" if lesson.id == own else get_relative_url(target, page_url or ".")
        terms += [term_link(entry, f"{base}#glossary-{entry.id}") for entry in lesson.glossary]
    return terms
