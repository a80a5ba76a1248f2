"""Checks of a page's macro calls, read from its Jinja syntax tree before anything renders.

A lesson page is Markdown with one macro call per section. Read statically, every mistake gets
a `file:line: ...` message, where a failure during rendering would give mkdocs-macros' traceback
and no line: a syntax error, an unknown macro, a wrong or missing argument, a lesson macro on a
page that is not a lesson's, and a lesson page that leaves out a section or repeats one (its
element ids would repeat). Pure: the caller passes the text and what is known about the page.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from .models import QUIZ_SECTIONS


@dataclass(frozen=True)
class Section:
    """One call a lesson page must make exactly once: a macro, and its argument if it has one."""

    macro: str
    argument: str | None = None

    def __str__(self) -> str:
        argument = "" if self.argument is None else f'"{self.argument}"'
        return f"{{{{ {self.macro}({argument}) }}}}"


LESSON_PAGE_SECTIONS = (
    Section("lesson_title"),
    Section("lesson_meta"),
    Section("mode_picker"),
    Section("process_flow"),
    Section("step_through"),
    Section("execution_sample"),
    Section("process_table"),
    Section("status_tracker"),
    Section("limits_table"),
    Section("key_moments"),
    *(Section("quiz", section) for section in QUIZ_SECTIONS if section != "test_bank"),
    Section("test_link"),
    Section("concept_snapshot"),
    Section("transcript"),
    Section("glossary"),
    Section("flashcards"),
    Section("cheat_sheet"),
)

# The test bank is on a page of its own, `test.md` beside the lesson page: it alone was a third
# of the lesson page's elements, and a test is something a reader sets out to do.
TEST_PAGE_SECTIONS = (
    Section("test_page_title"),
    Section("test_page_intro"),
    Section("quiz", "test_bank"),
)

# A lesson's pages, by kind: the file name beside lesson.yml, and the calls it must make.
PAGE_FILES = {"lesson": "index.md", "test": "test.md"}
PAGE_SECTIONS = {"lesson": LESSON_PAGE_SECTIONS, "test": TEST_PAGE_SECTIONS}
LESSON_MACROS = tuple(
    dict.fromkeys(section.macro for sections in PAGE_SECTIONS.values() for section in sections)
)


def page_kind(src_uri: str, lessons_dir: str) -> str | None:
    """`lesson` or `test` for a lesson's own pages (`lessons/<slug>/index.md`, `test.md`). The
    build has already stopped if such a page has no lesson.yml beside it."""
    parts = src_uri.split("/")
    if len(parts) != 3 or parts[0] != lessons_dir:
        return None
    return next((kind for kind, name in PAGE_FILES.items() if name == parts[2]), None)


def page_url(lessons_dir: str, slug: str, kind: str, directory_urls: bool) -> str:
    """The site URL (from the site's root) of one of a lesson's pages."""
    stem = PAGE_FILES[kind].removesuffix(".md")
    if directory_urls:
        return f"{lessons_dir}/{slug}/" + ("" if kind == "lesson" else f"{stem}/")
    return f"{lessons_dir}/{slug}/{stem}.html"


def _where(kind: str) -> str:
    return f"the lesson's {'test page' if kind == 'test' else 'page'} (lessons/<slug>/{PAGE_FILES[kind]})"


# Arguments a macro accepts beyond the lesson it is bound to, with the values each may take.
ALLOWED_ARGUMENTS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "quiz": {"section": QUIZ_SECTIONS},
}


@dataclass(frozen=True)
class PageProblem:
    line: int
    message: str


def check_page(
    source: str,
    *,
    macros: Mapping[str, Callable],
    lesson_macros: Iterable[str],
    names: Iterable[str],
    kind: str | None,
    environment: jinja2.Environment | None = None,
) -> list[PageProblem]:
    """Problems with the macro calls in `source` (a page's Markdown, front matter removed).

    `macros` are the registered macros by name, `lesson_macros` those that need a lesson page,
    `names` every other name a template may use (variables, filters, Jinja's globals), `kind`
    the page's kind (`page_kind`): which of the lesson macros it must call, each once."""
    environment = environment or jinja2.Environment()
    try:
        tree = environment.parse(source)
    except jinja2.TemplateSyntaxError as error:
        return [PageProblem(error.lineno or 1, f"expected valid macro syntax, got {error.message}")]
    lesson_only = set(lesson_macros)
    known = set(macros) | set(names) | set(environment.globals)
    assigned = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    problems: list[PageProblem] = []
    seen: dict[Section, list[int]] = {}
    miscalled: set[str] = set()
    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name):
            continue
        name = call.node.name
        if name not in known and name not in assigned:
            problems.append(
                PageProblem(
                    call.lineno, f"expected a known macro, got {name}(){_nearest(name, macros)}"
                )
            )
            continue
        if name not in macros:
            continue
        if name in lesson_only and kind is None:
            problems.append(
                PageProblem(
                    call.lineno,
                    f"expected {name}() only on a lesson's pages (lessons/<slug>/index.md or "
                    f"{PAGE_FILES['test']}), got it on a page that is not a lesson's",
                )
            )
            continue
        argument, message = _argument(name, macros[name], call, lesson_bound=name in lesson_only)
        if message:
            problems.append(PageProblem(call.lineno, message))
            miscalled.add(name)  # already reported: not "missing" as well
            continue
        section = Section(name, argument)
        if name in lesson_only and section not in PAGE_SECTIONS[kind]:
            home = next(k for k, sections in PAGE_SECTIONS.items() if section in sections)
            problems.append(
                PageProblem(
                    call.lineno,
                    f"expected {section} only on {_where(home)}, got it on {_where(kind)}",
                )
            )
            continue
        seen.setdefault(section, []).append(call.lineno)
    if kind is not None:
        problems += _sections(seen, source, miscalled, PAGE_SECTIONS[kind])
    return sorted(problems, key=lambda problem: problem.line)


def _argument(
    name: str, macro: Callable, call: nodes.Call, *, lesson_bound: bool
) -> tuple[str | None, str | None]:
    """The call's one literal argument (or None), or a message saying what is wrong with it."""
    allowed = ALLOWED_ARGUMENTS.get(name, {})
    if not lesson_bound:
        parameters = list(inspect.signature(macro).parameters)
        allowed = {parameter: () for parameter in parameters}
    values = [*call.args, *(keyword.value for keyword in call.kwargs)]
    keywords = [keyword.key for keyword in call.kwargs]
    if call.dyn_args or call.dyn_kwargs:
        return None, f"expected {name}() with plain arguments, got *args or **kwargs"
    unknown = [key for key in keywords if key not in allowed]
    if unknown:
        return None, f"expected {_signature(name, allowed)}, got an unknown argument {unknown[0]}="
    if len(values) > len(allowed):
        return None, f"expected {_signature(name, allowed)}, got {_arguments(len(values))}"
    if not lesson_bound:
        return None, None
    if len(values) < len(allowed):
        return None, f"expected {_signature(name, allowed)}, got {_arguments(len(values))}"
    if not values:
        return None, None
    (value,) = values
    (parameter, choices) = next(iter(allowed.items()))
    if not isinstance(value, nodes.Const) or not isinstance(value.value, str):
        return None, f"expected {name}() with a quoted {parameter} name, got an expression"
    if value.value not in choices:
        return None, (f"expected {name}() with one of {_either(choices)}, got {value.value!r}")
    return value.value, None


def _sections(
    seen: Mapping[Section, list[int]],
    source: str,
    miscalled: set[str],
    required: Iterable[Section],
) -> list[PageProblem]:
    problems = []
    last_line = source.count("\n") + 1
    for section in required:
        lines = seen.get(section, [])
        if not lines and section.macro not in miscalled:
            problems.append(
                PageProblem(
                    last_line,
                    f"expected every lesson section on the page, got no {section} "
                    "(that section would be missing)",
                )
            )
        for line in lines[1:]:
            problems.append(
                PageProblem(
                    line,
                    f"expected {section} once, got it again (first at line {lines[0]}); "
                    "its element ids would repeat",
                )
            )
    return problems


def _either(choices: tuple[str, ...]) -> str:
    quoted = [repr(choice) for choice in choices]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _signature(name: str, allowed: Mapping[str, tuple[str, ...]]) -> str:
    return f"{name}({', '.join(allowed)})" if allowed else f"{name}() with no arguments"


def _arguments(count: int) -> str:
    return "no arguments" if count == 0 else f"{count} argument{'s' if count != 1 else ''}"


def _nearest(name: str, macros: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(macros), n=1)
    return f" (did you mean {close[0]}()?)" if close else ""


# A line pymdownx.snippets would expand: `--8<-- "path"` alone on its line, or a block marker.
# Looser than the extension's own pattern (any run of `-`, `8<`, any path), so that nothing it
# expands escapes the checks.
_SNIPPET_LINE = re.compile(r"""^[ \t]*;*-+8<-+(?:[ \t]+(?P<path>"[^"\n]*"|'[^'\n]*'))?[ \t]*$""")


def snippet_lines(markdown: str) -> Iterator[str]:
    """Every line of `markdown` that pymdownx.snippets would treat as a snippet include."""
    for line in markdown.splitlines():
        if _SNIPPET_LINE.match(line):
            yield line


def check_snippets(
    markdown: str, bases: Iterable[Path], config_dir: Path, folder: str | None = None
) -> list[PageProblem]:
    """Each `--8<-- "path"` of a page must name an existing file inside a snippet base path,
    and inside `folder` of it when given (a lesson's pages show their own example only).

    pymdownx.snippets fails on a missing file with a traceback and no line; this names both.
    `bases` are the extension's `base_path` values, found where the extension finds them: a
    relative one from the directory mkdocs runs in. (`!relative $config_dir/examples` is such a
    path, made from the config file's path as typed, so it names the same folder from anywhere;
    joined to `config_dir` as well, it would name a folder that does not exist.) `config_dir`,
    mkdocs.yml's directory, is where the messages show the bases from."""
    roots = [Path(base).resolve() for base in bases]
    problems = []
    for number, line in enumerate(markdown.splitlines(), 1):
        match = _SNIPPET_LINE.match(line)
        if not match or not match.group("path") or line.lstrip().startswith(";"):
            continue
        path = match.group("path")[1:-1].split(":")[0]
        found = [
            (root / path).resolve()
            for root in roots
            if (root / path).resolve().is_relative_to(root) and (root / path).resolve().is_file()
        ]
        if not found:
            shown = ", ".join(_shown(root, config_dir) for root in roots)
            problems.append(
                PageProblem(
                    number,
                    f"expected a snippet path to a file inside {shown}, got {path!r}",
                )
            )
        elif folder is not None and not any(
            place.is_relative_to((root / folder).resolve()) for place in found for root in roots
        ):
            problems.append(
                PageProblem(
                    number,
                    f"expected a file of this lesson's example (a path starting {folder}/), "
                    f"got {path!r}",
                )
            )
    return problems


def _shown(root: Path, config_dir: Path) -> str:
    resolved = config_dir.resolve()
    return f"{root.relative_to(resolved)}/" if root.is_relative_to(resolved) else f"{root}/"


# Checks of a lesson page's rendered content (hooks.py runs them before any page is written).


def missing_mode_sections(page_html: str, modes: Iterable) -> list[str]:
    """Each learning mode shows sections by their `##` heading ids: a lesson page without one
    (a heading renamed, say) would leave that mode half empty."""
    return _missing_sections(set(re.findall(r'<h2 id="([^"]+)"', page_html)), modes)


def _missing_sections(headings: Iterable[str], modes: Iterable) -> list[str]:
    """One message for each section a learning mode shows that `headings` (ids) lacks."""
    return list(
        dict.fromkeys(
            f"the {mode.label!r} learning mode shows the section #{section}, "
            "expected a `##` heading with that id, got none"
            for mode in modes
            for section in mode.sections
            if section not in headings
        )
    )


def dangling_links(page_html: str) -> list[str]:
    """Every `#fragment` link (references, evidence links, glossary terms) must land on an
    element of the same page."""
    ids = element_ids(page_html)
    return [
        f"a link points to #{target}, expected an element with that id on the page, got none"
        for target in dict.fromkeys(re.findall(r'\shref="#([^"]+)"', page_html))
        if target not in ids
    ]


def element_ids(page_html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page_html))


def links_into(page_html: str, url: str) -> list[str]:
    """The fragments of the links in `page_html` to `url#fragment` (a relative URL as written),
    for a check once the page they point into is written."""
    return list(dict.fromkeys(re.findall(rf'\shref="{re.escape(url)}#([^"]+)"', page_html)))


# The same check read from a lesson page's Markdown, for `make check-lessons` (no build).

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_H2 = re.compile(r"^##[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$")
_ATTR_ID = re.compile(r"[ \t]*\{:?[^}]*?#(?P<id>[^\s}]+)[^}]*\}$")


def heading_ids(markdown: str) -> dict[str, int]:
    """The id of each `##` heading of `markdown` and its line, as Python-Markdown's toc and
    attr_list make them (`{ #id }`, or the heading's text made into a slug), outside code fences.
    Headings whose text is a macro call are left out: their text is known only once rendered."""
    from markdown.extensions.toc import slugify, unique

    ids: dict[str, int] = {}
    used: set[str] = set()
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), 1):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        heading = _H2.match(line)
        if not heading or "{{" in heading.group("text"):
            continue
        text = heading.group("text")
        given = _ATTR_ID.search(text)
        if given:
            ids.setdefault(given.group("id"), number)
            used.add(given.group("id"))
        else:
            ids.setdefault(unique(slugify(text, "-"), used), number)
    return ids


def missing_mode_headings(markdown: str, modes: Iterable) -> list[PageProblem]:
    """`missing_mode_sections`, read from the page's Markdown: each learning mode's sections
    need a `##` heading with their id. Reported at the page's last line, like a missing call."""
    last_line = markdown.count("\n") + 1
    return [
        PageProblem(last_line, message)
        for message in _missing_sections(heading_ids(markdown), modes)
    ]
