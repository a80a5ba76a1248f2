"""mkdocs-macros entry point: wires the lesson loader to the renderers. No rendering logic here.

Lesson files are loaded once per build, when mkdocs-macros calls `define_env` during
`on_config`, so a broken file stops the build before any page is rendered. The error is raised
as a PluginError, which mkdocs reports as a plain message, without a traceback.
"""

from __future__ import annotations

import traceback
from pathlib import Path, PurePosixPath

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from . import render
from .diagrams import DiagramError, FlowDiagramRenderer, Request
from .field_reference import field_reference
from .loader import LESSON_FILE, LESSONS_DIR, LessonError, load_lessons
from .models import Lesson
from .page_checks import (
    LESSON_MACROS,
    PAGE_FILES,
    check_page,
    check_snippets,
    front_matter_problems,
    page_kind,
    page_url,
    snippet_lines,
)

LESSON_PAGE = PAGE_FILES["lesson"]
# Each lesson's example folder, by slug, for the page checks (set by define_env at every build).
_examples: dict[str, str] = {}
# Macros that link between a lesson's two pages; every other lesson macro takes the lesson only.
PAGE_LINKING = ("quiz", "test_link", "test_page_intro")


def define_env(env) -> None:
    project_dir = Path(env.project_dir)
    docs_dir = Path(env.conf["docs_dir"])
    try:
        lessons = load_lessons(docs_dir, project_dir)
    except LessonError as error:
        raise PluginError(str(error)) from None
    _examples.clear()
    _examples.update((slug, lesson.example) for slug, lesson in lessons.items())
    _require_lesson_pages(lessons, docs_dir, project_dir)
    _require_lesson_files(lessons, docs_dir, project_dir)
    _require_drawable_flows(lessons, docs_dir, project_dir)
    drawings = _draw_flows(lessons, docs_dir, project_dir)

    def page_lesson() -> Lesson:
        src = PurePosixPath(env.page.file.src_uri)
        if len(src.parts) >= 2 and src.parts[0] == LESSONS_DIR and src.parts[1] in lessons:
            return lessons[src.parts[1]]
        raise PluginError(
            f"{docs_dir.name}/{src}: lesson macros only work on a lesson's pages, "
            f"{LESSONS_DIR}/<slug>/{LESSON_PAGE} beside its {LESSON_FILE}"
        )

    def url_of(lesson: Lesson, kind: str) -> str:
        """The URL of one of the lesson's pages, relative to the page being rendered ("" for
        the page itself, so its links stay `#fragment`s)."""
        target = page_url(LESSONS_DIR, lesson.id, kind, env.conf["use_directory_urls"])
        if target == (env.page.url or ""):
            return ""
        return get_relative_url(target, env.page.url or ".")

    def bind(renderer):
        def macro(*args):
            return renderer(page_lesson(), *args)

        macro.__doc__ = renderer.__doc__
        return macro

    for name in LESSON_MACROS:
        if name not in PAGE_LINKING:
            env.macro(bind(getattr(render, name)), name)

    def quiz(section):
        return render.quiz(page_lesson(), section, url_of(page_lesson(), "lesson"))

    quiz.__doc__ = render.quiz.__doc__
    env.macro(quiz, "quiz")
    env.macro(lambda: render.test_link(page_lesson(), url_of(page_lesson(), "test")), "test_link")
    env.macro(
        lambda: render.test_page_intro(page_lesson(), url_of(page_lesson(), "lesson")),
        "test_page_intro",
    )
    env.macro(
        lambda: render.process_flow(page_lesson(), drawings[page_lesson().id]), "process_flow"
    )
    env.macro(
        lambda: render.lesson_catalog(
            (lesson, url_of(lesson, "lesson")) for lesson in lessons.values()
        ),
        "lesson_catalog",
    )
    env.macro(lambda: field_reference(Lesson), "lesson_field_reference")


def on_pre_page_macros(env) -> None:
    """Check the page's macro calls, then render it: a mistake stops the build with
    `file:line: message` lines, never a traceback or an exit in the middle of `mkdocs serve`.

    mkdocs-macros renders no page itself (`render_by_default: false` in mkdocs.yml): its own
    rendering logs a traceback on any error and then calls exit(100), which ends `mkdocs serve`.
    Here every error becomes one line at the page's line."""
    page = env.page
    src = PurePosixPath(page.file.src_uri)
    kind = page_kind(src.as_posix(), LESSONS_DIR)
    slug = src.parts[1] if kind else None
    shown = f"{Path(env.conf['docs_dir']).name}/{src}"
    offset = _front_matter_lines(page.file.content_string, env.markdown)
    problems = check_snippets(
        env.markdown,
        _snippet_bases(env.conf),
        Path(env.conf["config_file_path"]).parent,
        folder=_examples.get(slug) if slug else None,
    )
    problems += check_page(
        env.markdown,
        macros=env.macros,
        lesson_macros=LESSON_MACROS,
        names=[*env.variables, *env.filters],
        kind=kind,
        environment=env.env,
    )
    # Front matter is reported at the file's own first line, the rest below it.
    lines = [f"{shown}:{p.line}: {p.message}" for p in front_matter_problems(page.meta, kind)]
    lines += [f"{shown}:{p.line + offset}: {p.message}" for p in problems]
    if lines:
        raise PluginError("\n".join(lines))
    env.markdown = _rendered(env, shown, offset)


def _rendered(env, shown: str, offset: int) -> str:
    """The page's Markdown with its macros expanded, as mkdocs-macros would expand it."""
    meta = env.page.meta or {}
    if meta.get("render_macros") is False:
        return env.markdown
    try:
        return env.env.from_string(env.markdown).render(**{**env.variables, **meta})
    except PluginError:
        raise  # ours, already a message for the reader
    except jinja2.TemplateSyntaxError as error:
        line, message = error.lineno or 1, f"expected valid macro syntax, got {error.message}"
    except Exception as error:  # noqa: BLE001 - an undefined name, a filter, an include...
        line, message = _template_line(error), f"{type(error).__name__}: {error}"
    raise PluginError(f"{shown}:{line + offset}: {message}") from None


def _template_line(error: BaseException) -> int:
    """The page line an error was raised at: Jinja gives the frames of a template the
    template's own line numbers, under the file name `<template>`."""
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == "<template>" and frame.lineno
    ]
    return lines[-1] if lines else 1


def on_post_page_macros(env) -> None:
    """A tripwire behind the escaping: a snippet marker that the page's own source does not
    have can only have come from lesson data, and pymdownx.snippets would expand it next."""
    written = set(snippet_lines(env.page.file.content_string))
    added = [line for line in snippet_lines(env.markdown) if line not in written]
    if added:
        raise PluginError(
            f"{Path(env.conf['docs_dir']).name}/{env.page.file.src_uri}: lesson data produced "
            f"a snippet include {added[0].strip()!r}, expected text; nothing is included"
        )


def _snippet_bases(conf) -> list[Path]:
    options = conf["mdx_configs"].get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    return [Path(str(base)) for base in ([bases] if isinstance(bases, str) else bases)]


def _front_matter_lines(raw: str, markdown: str) -> int:
    """Lines MkDocs removed above the Markdown (the YAML front matter), so lines match the file."""
    start = raw.find(markdown) if markdown else -1
    return raw.count("\n", 0, start) if start > 0 else 0


def _require_lesson_pages(lessons: dict[str, Lesson], docs_dir: Path, project_dir: Path) -> None:
    for slug in lessons:
        for kind, name in PAGE_FILES.items():
            page = docs_dir / LESSONS_DIR / slug / name
            if not page.is_file():
                what = "page" if kind == "lesson" else f"{kind} page"
                raise PluginError(
                    f"{shown(page, project_dir)}: expected the lesson's {what} beside its "
                    f"{LESSON_FILE}, got no file"
                )


def _require_lesson_files(lessons: dict[str, Lesson], docs_dir: Path, project_dir: Path) -> None:
    """A lesson page without its data would fail on its first macro, with a traceback."""
    problems = []
    pages = [
        page for name in PAGE_FILES.values() for page in (docs_dir / LESSONS_DIR).glob(f"*/{name}")
    ]
    for page in sorted(pages):
        if page.parent.name not in lessons:
            shown = page.relative_to(project_dir) if page.is_relative_to(project_dir) else page
            problems.append(
                f"{shown}: expected the lesson's data beside its page, "
                f"{shown.parent / LESSON_FILE}, got no file"
            )
    if problems:
        raise PluginError("\n".join(problems))


def _require_drawable_flows(lessons: dict[str, Lesson], docs_dir: Path, project_dir: Path) -> None:
    """Mermaid draws an error box instead of a diagram whose source is over its size limit."""
    for slug, lesson in lessons.items():
        size = max(len(render.mermaid_source(lesson, direction)) for direction in ("LR", "TB"))
        if size > render.MERMAID_MAX_TEXT_SIZE:
            path = docs_dir / LESSONS_DIR / slug / LESSON_FILE
            shown = path.relative_to(project_dir) if path.is_relative_to(project_dir) else path
            raise PluginError(
                f"{shown}: flow: expected a diagram of at most "
                f"{render.MERMAID_MAX_TEXT_SIZE:,} characters of Mermaid source, got {size:,}"
            )


def _draw_flows(
    lessons: dict[str, Lesson], docs_dir: Path, project_dir: Path
) -> dict[str, render.FlowDrawings]:
    """Every lesson's flow, drawn by Mermaid in Chromium now (or taken from the cache)."""
    requests = [
        Request(
            source=render.mermaid_source(lesson, direction),
            svg_id=render.flow_diagram_svg_id(direction),
            nodes=render.flow_node_names(lesson),
            origin=f"{shown(docs_dir / LESSONS_DIR / slug / LESSON_FILE, project_dir)}: flow",
        )
        for slug, lesson in lessons.items()
        for direction in ("LR", "TB")
    ]
    try:
        drawn = iter(FlowDiagramRenderer(project_dir).draw_all(requests))
    except DiagramError as error:
        raise PluginError(str(error)) from None
    return {slug: render.FlowDrawings(next(drawn), next(drawn)) for slug in lessons}


def shown(path: Path, project_dir: Path) -> Path:
    """A path as an error message shows it: relative to the project when it is inside."""
    return path.relative_to(project_dir) if path.is_relative_to(project_dir) else path
