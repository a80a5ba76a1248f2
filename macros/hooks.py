"""mkdocs hooks (listed under `hooks:` in mkdocs.yml): glue between the lessons and every page's
HTML. They link glossary terms (the linking itself is the pure `glossary.link_terms`), title a
lesson's two pages, and stop the build before any page is written when a lesson page or its
test page has a section missing or a link that lands nowhere (the checks are in page_checks.py).

mkdocs loads this file by path, not as part of the `macros` package, so the project directory
is put on the import path first: the package is the same one mkdocs-macros imports.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import shutil
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from macros.glossary import Glossary, Term, term  # noqa: E402
from macros.loader import (  # noqa: E402
    LESSON_FILE,
    LESSONS_DIR,
    LessonError,
    lesson_warnings,
    load_lessons,
)
from macros.minify import MinifyError, minify, own_assets  # noqa: E402
from macros.models import Lesson  # noqa: E402
from macros.page_checks import (  # noqa: E402
    dangling_links,
    element_ids,
    links_into,
    missing_mode_sections,
    page_kind,
    page_url,
)
from macros.render import LEARNING_MODES, TEST_TITLE_PREFIX  # noqa: E402

# What the hooks use of ours. mkdocs loads a hook once per process, so these are imported again
# at every build (on_config), after `mkdocs serve` has forgotten the `macros` package (on_serve):
# an edit to any of these modules takes effect on the next rebuild, as it does for the macros.
OUR_NAMES = {
    "macros.glossary": ("Glossary", "Term", "term"),
    "macros.loader": (
        "LESSON_FILE",
        "LESSONS_DIR",
        "LessonError",
        "lesson_warnings",
        "load_lessons",
    ),
    "macros.minify": ("MinifyError", "minify", "own_assets"),
    "macros.models": ("Lesson",),
    "macros.page_checks": (
        "dangling_links",
        "element_ids",
        "links_into",
        "missing_mode_sections",
        "page_kind",
        "page_url",
    ),
    "macros.render": ("LEARNING_MODES", "TEST_TITLE_PREFIX"),
}


def _import_ours() -> None:
    """The names above, bound again to the modules as they are now on disk."""
    for module, names in OUR_NAMES.items():
        loaded = importlib.import_module(module)
        globals().update((name, getattr(loaded, name)) for name in names)


# This file itself cannot be loaded again while mkdocs runs: an edit to it asks for a restart.
_THIS_FILE = Path(__file__).resolve()
_THIS_SOURCE = _THIS_FILE.read_bytes()

# One compiled glossary per page context (a lesson's pages, or None for every other page),
# made once per build: a page's own lesson wins a spelling two lessons share.
_glossaries: dict[str | None, Glossary] = {}
_titles: dict[str, str] = {}  # lesson slug -> title
# The ids in each lesson page's content, and the fragments its test page links to there: MkDocs
# renders every page's content, then calls on_env, then writes the pages, so on_env checks them
# before anything is written.
_lesson_page_ids: dict[str, set[str]] = {}
_test_page_links: dict[str, tuple[str, list[str]]] = {}  # slug -> (test page src, fragments)
_command = "build"  # or "serve", "gh-deploy"


def on_startup(command, dirty):
    global _command
    _command = command


_log = logging.getLogger("mkdocs.hooks.serve")
_lesson_log = logging.getLogger("mkdocs.hooks.lessons")


def on_serve(server, config, builder):
    """A rebuild that fails (a broken lesson, say) keeps the last good site on the live server.

    Each build of `mkdocs serve` goes into a staging folder (on_config), and only a build that
    finishes, strict warnings included, is swapped in for the folder the server serves: a page
    that fails half-way, or a warning that aborts the build after every page is written, leaves
    every URL of the last good site served. mkdocs alone would serve what it wrote, or nothing,
    and hold every request until a build succeeds."""
    rebuild = server.builder
    live = server.root
    _publish(_staging(live), live)  # the first build, which mkdocs ran before this hook

    def rebuild_or_keep_the_last_good_site():
        # mkdocs-macros imports the `macros` package once per process: forgotten here, every
        # rebuild runs the renderers as they are now on disk (`watch:` in mkdocs.yml).
        for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
            del sys.modules[name]
        try:
            rebuild()
        except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure keeps the site
            cause = _cause(error)
            if cause:
                _log.error(cause)
            _log.error(
                "The site was not rebuilt: still serving the last good build. "
                "Save a fix and it rebuilds."
            )
            return
        _publish(_staging(live), live)

    server.builder = rebuild_or_keep_the_last_good_site
    return server


def _cause(error: BaseException) -> str | None:
    """One line for an error mkdocs has not logged itself (its own and ours it has)."""
    from click import ClickException

    if isinstance(error, ClickException | PluginError):
        return None
    if isinstance(error, SyntaxError):
        return f"{error.filename}:{error.lineno}: {type(error).__name__}: {error.msg}"
    return f"{type(error).__name__}: {error}"


def _staging(live: str) -> str:
    return f"{live.rstrip(os.sep)}.next"


def _publish(staging: str, live: str) -> None:
    """Swaps the finished build in: two renames, so a request sees one site or the other."""
    if not os.path.isdir(staging):
        return
    old = f"{live.rstrip(os.sep)}.old"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(live, old)
    os.rename(staging, live)
    shutil.rmtree(old, ignore_errors=True)


def on_shutdown():
    if _serving:
        shutil.rmtree(_staging(_serving[0]), ignore_errors=True)


_serving: list[str] = []  # the folder `mkdocs serve` serves, once known


def on_config(config):
    if _THIS_FILE.read_bytes() != _THIS_SOURCE:
        raise PluginError(
            f"{_THIS_FILE.parent.name}/{_THIS_FILE.name} changed since mkdocs started: mkdocs "
            "loads its hooks once per process, so restart `make serve` for the change to take "
            "effect"
        )
    _import_ours()
    _glossaries.clear()
    _titles.clear()
    _lesson_page_ids.clear()
    _test_page_links.clear()
    lessons: dict[str, Lesson] = {}
    # A broken lesson has already stopped the build in mkdocs-macros, with the full report.
    # `config_file_path` is the path as typed after `-f` (`mkdocs.yml`, `../site/mkdocs.yml`):
    # the project is its absolute directory, as mkdocs-macros' `env.project_dir` is.
    if _command == "serve":
        # Built beside the served folder, and swapped in by on_serve once it is complete.
        live = _serving[0] if _serving else config["site_dir"]
        _serving[:] = [live]
        config["site_dir"] = _staging(live)
    project_dir = Path(os.path.abspath(config["config_file_path"])).parent
    try:
        lessons = load_lessons(Path(config["docs_dir"]), project_dir)
    except LessonError as error:
        raise PluginError(str(error)) from None
    # What may be a mistake but is valid is said at info level: under `strict`, a warning would
    # fail a build for text the schema allows.
    for slug in lessons:
        path = Path(config["docs_dir"]) / LESSONS_DIR / slug / LESSON_FILE
        for line in lesson_warnings(path, relative_to=project_dir):
            _lesson_log.info(line)
    _titles.update((slug, lesson.title) for slug, lesson in lessons.items())
    _list_the_lessons_in_the_nav(config, lessons)
    # A lesson's pages link its own terms, then those of the lessons it opts in to
    # (`glossary_from`); a page of no lesson (home, the guide) links every lesson's.
    for own in [None, *lessons]:
        if own is None:
            sources = sorted(lessons.values(), key=lambda lesson: lesson.id)
        else:
            sources = [lessons[own], *(lessons[slug] for slug in lessons[own].glossary_from)]
        _glossaries[own] = Glossary(
            term(lesson.id, entry) for lesson in sources for entry in lesson.glossary
        )
    return config


LESSONS_NAV_SECTION = "Lessons"


def _list_the_lessons_in_the_nav(config, lessons: dict[str, Lesson]) -> None:
    """The nav's `Lessons` section (empty in mkdocs.yml) lists every lesson page, in the
    catalog's order (by title), so a new lesson needs no edit of mkdocs.yml."""
    docs_dir = Path(config["docs_dir"])
    found = sorted(path.parent.name for path in (docs_dir / LESSONS_DIR).glob("*/index.md"))
    order = [slug for slug in lessons if slug in found] + [s for s in found if s not in lessons]
    for item in config["nav"] or []:
        if isinstance(item, dict) and item.keys() == {LESSONS_NAV_SECTION}:
            item[LESSONS_NAV_SECTION] = [f"{LESSONS_DIR}/{slug}/index.md" for slug in order]


def _kind(page) -> str | None:
    """The page's kind if it is one of a lesson's pages (a lesson that failed to load has
    already stopped the build in mkdocs-macros)."""
    kind = page_kind(page.file.src_uri, LESSONS_DIR)
    return kind if kind and page.file.src_uri.split("/")[1] in _titles else None


# Pygments wraps every run of whitespace in a code listing in its own `<span class="w">`, which
# no stylesheet colours: dozens of elements a page for nothing. The spaces stay, unwrapped.
_WHITESPACE_SPAN = re.compile(r'<span class="w">([ \t\n]*)</span>')


def on_page_content(html: str, page, config, files) -> str:
    html = _WHITESPACE_SPAN.sub(r"\1", html)
    own = page.url.split("/")[1] if page.url.startswith(f"{LESSONS_DIR}/") else None
    kind = _kind(page)
    if kind:
        # Material prints page.title unescaped (navigation, header, footer, search), so it must
        # be HTML already: the lesson's plain-text title, escaped. mkdocs-macros set it from the
        # rendered `# {{ lesson_title() }}`, whose Markdown escapes would show as backslashes.
        page.title = escape((TEST_TITLE_PREFIX if kind == "test" else "") + _titles[own])

    def href(found: Term) -> str:
        # The glossary is on the lesson page: its own terms are `#fragment`s there only.
        target = _lesson_page_url(found.lesson_id, config)
        here = found.lesson_id == own and kind == "lesson"
        base = "" if here else get_relative_url(target, page.url or ".")
        return f"{base}#glossary-{found.entry_id}"

    html = _glossaries.get(own, _glossaries[None]).link(html, href)
    if kind == "lesson":
        _lesson_page_ids[own] = element_ids(html)
    elif kind == "test":
        lesson_url = get_relative_url(_lesson_page_url(own, config), page.url)
        _test_page_links[own] = (page.file.src_uri, links_into(html, lesson_url))
    if kind:
        # Checked here, not on the finished page: mkdocs renders every page's content before it
        # writes any page, so a broken lesson leaves no other lesson's pages half published.
        problems = dangling_links(html)
        if kind == "lesson":
            problems = missing_mode_sections(html, LEARNING_MODES) + problems
        if problems:
            shown = f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
            raise PluginError("\n".join(f"{shown}: {problem}" for problem in problems))
    return html


def on_env(env, config, files):
    """A test page's links back into its lesson page must land on an element there."""
    problems = [
        f"{Path(config['docs_dir']).name}/{src}: a link points to the lesson page's #{target}, "
        "expected an element with that id there, got none"
        for slug, (src, targets) in _test_page_links.items()
        for target in targets
        if target not in _lesson_page_ids.get(slug, ())
    ]
    if problems:
        raise PluginError("\n".join(problems))
    return env


# The stylesheet each widget needs, as site.js's registry (LAZY) names it (a widget missing
# here would make site.js fetch its sheet late, which tests/browser/test_stylesheets.py catches). site.js would fetch these once the page is up, and every one that arrived then made
# the browser restyle the whole page again (a phone's longest tasks after Material's own);
# linked in the head of the pages that have the widget, they are part of the first styling.
WIDGET_STYLESHEETS = {
    "quiz": "quiz.css",
    "lesson-progress": "quiz.css",
    "step-through": "step-through.css",
    "mode-picker": "learning-modes.css",
    "cheat-sheet": "learning-modes.css",
    "flashcards": "flashcards.css",
    "lesson-catalog": "catalog.css",
}
_DATA_MODULE = re.compile(r'\sdata-module="([a-z-]+)"')


def widget_stylesheet_links(output: str, page_url: str) -> str:
    """`<link>`s for the stylesheets of the widgets in `output`, before its `</head>`."""
    names = dict.fromkeys(
        WIDGET_STYLESHEETS[name]
        for name in _DATA_MODULE.findall(output)
        if name in WIDGET_STYLESHEETS
    )
    links = "".join(
        f'<link rel="stylesheet" href="'
        f'{escape(get_relative_url(f"assets/stylesheets/{name}", page_url or "."))}">'
        for name in names
    )
    return output.replace("</head>", links + "</head>", 1) if links else output


def on_post_page(output: str, page, config) -> str:
    """Links the widgets' stylesheets."""
    return widget_stylesheet_links(output, page.url)


def _lesson_page_url(slug: str, config) -> str:
    return page_url(LESSONS_DIR, slug, "lesson", config["use_directory_urls"])


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
