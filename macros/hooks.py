"""mkdocs hooks (listed under `hooks:` in mkdocs.yml): glue between the lessons' glossaries and
every page's HTML. The linking itself is the pure `glossary.link_terms`.

mkdocs loads this file by path, not as part of the `macros` package, so the project directory
is put on the import path first: the package is the same one mkdocs-macros imports.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from macros.glossary import Glossary, Term, term  # noqa: E402
from macros.loader import LESSONS_DIR, LessonError, load_lessons  # noqa: E402
from macros.minify import MinifyError, minify, own_assets  # noqa: E402
from macros.models import Lesson  # noqa: E402
from macros.page_checks import dangling_links, missing_mode_sections  # noqa: E402
from macros.render import LEARNING_MODES  # noqa: E402

# One compiled glossary per page context (a lesson's pages, or None for every other page),
# made once per build: a page's own lesson wins a spelling two lessons share.
_glossaries: dict[str | None, Glossary] = {}
_titles: dict[str, str] = {}  # lesson slug -> title
_command = "build"  # or "serve", "gh-deploy"


def on_startup(command, dirty):
    global _command
    _command = command


def on_config(config):
    _glossaries.clear()
    _titles.clear()
    lessons: dict[str, Lesson] = {}
    # A broken lesson has already stopped the build in mkdocs-macros, with the full report.
    # `config_file_path` is the path as typed after `-f` (`mkdocs.yml`, `../site/mkdocs.yml`):
    # the project is its absolute directory, as mkdocs-macros' `env.project_dir` is.
    project_dir = Path(os.path.abspath(config["config_file_path"])).parent
    with suppress(LessonError):
        lessons = load_lessons(Path(config["docs_dir"]), project_dir)
    _titles.update((slug, lesson.title) for slug, lesson in lessons.items())
    for own in [None, *lessons]:
        ordered = sorted(lessons.values(), key=lambda lesson: (lesson.id != own, lesson.id))
        _glossaries[own] = Glossary(
            term(lesson.id, entry) for lesson in ordered for entry in lesson.glossary
        )
    return config


def on_page_content(html: str, page, config, files) -> str:
    own = page.url.split("/")[1] if page.url.startswith(f"{LESSONS_DIR}/") else None
    if own in _titles:
        # Material prints page.title unescaped (navigation, header, footer, search), so it must
        # be HTML already: the lesson's plain-text title, escaped. mkdocs-macros set it from the
        # rendered `# {{ lesson_title() }}`, whose Markdown escapes would show as backslashes.
        page.title = escape(_titles[own])
    suffix = "" if config["use_directory_urls"] else "index.html"

    def href(found: Term) -> str:
        target = f"{LESSONS_DIR}/{found.lesson_id}/{suffix}"
        base = "" if found.lesson_id == own else get_relative_url(target, page.url or ".")
        return f"{base}#glossary-{found.entry_id}"

    return _glossaries.get(own, _glossaries[None]).link(html, href)


def on_post_page(output: str, page, config) -> str:
    """A lesson page that would be half usable stops the build before it is written."""
    if page.url.startswith(f"{LESSONS_DIR}/") and page.url.split("/")[1] in _titles:
        problems = missing_mode_sections(output, LEARNING_MODES) + dangling_links(output)
        if problems:
            shown = f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
            raise PluginError("\n".join(f"{shown}: {problem}" for problem in problems))
    return output


def on_post_build(config):
    """Minifies the site's own scripts and stylesheets, except for `mkdocs serve`."""
    if _command == "serve":
        return
    project_dir = Path(os.path.abspath(config["config_file_path"])).parent
    files = own_assets(Path(config["docs_dir"]), Path(config["site_dir"]))
    try:
        minify(files, project_dir)
    except MinifyError as error:
        raise PluginError(str(error)) from None
