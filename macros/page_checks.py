"""Checks of a page's macro calls, read from its Jinja syntax tree before anything renders.

A lesson page is Markdown with one macro call per section. Read statically, every mistake gets
a `file:line: ...` message, where a failure during rendering would give mkdocs-macros' traceback
and no line: a syntax error, an unknown macro, a wrong or missing argument, a lesson macro on a
page that is not a lesson's, and a lesson page that leaves out a section or repeats one (its
element ids would repeat). Pure: the caller passes the text and what is known about the page.
"""

from __future__ import annotations

import bisect
import difflib
import html
import inspect
import itertools
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


def front_matter_problems(meta: Mapping[str, object], kind: str | None) -> list[PageProblem]:
    """A lesson page takes its title and description from lesson.yml: front matter there could
    set the page's template, or a description that Material writes into the head unescaped.
    `render_macros: true` is refused on every page: each page is rendered once already."""
    if kind is not None and meta:
        keys = ", ".join(sorted(map(str, meta)))
        return [
            PageProblem(
                1,
                f"expected no front matter on a lesson's page (its title and description come "
                f"from lesson.yml), got {keys}",
            )
        ]
    if meta.get("render_macros") is True:
        return [
            PageProblem(
                1,
                "expected no render_macros: true (every page's macros are rendered already), "
                "got it",
            )
        ]
    return []


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
    problems: list[PageProblem] = []
    if kind is None:
        # The site's own pages (home, the guide) may use all of Jinja.
        known = set(macros) | set(names) | set(environment.globals)
        assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        calls = list(tree.find_all(nodes.Call))
    else:
        # A lesson's pages are content: text and literal macro calls, nothing that computes.
        known, assigned = set(macros), set()
        problems += _jinja_outside_the_allow_list(source, environment)
        calls, refused, miscalled = _allowed_calls(tree, macros)
        problems += refused
        problems += raw_html(source)
    seen: dict[Section, list[int]] = {}
    miscalled = set() if kind is None else miscalled
    for call in calls:
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


# What a lesson's pages (lessons/<slug>/index.md, test.md) may hold: they are content, reviewed
# as content, so nothing in them may compute. Every other page is the site's own.
LESSON_PAGE_RULE = "text or a lesson macro call with literal arguments"


def _jinja_outside_the_allow_list(
    source: str, environment: jinja2.Environment
) -> list[PageProblem]:
    """Tags and comments, read from the tokens: the syntax tree drops comments, and a `{% raw %}`
    block (which only holds text) is indistinguishable there from the text it holds."""
    problems = []
    tokens = environment.lex(source)
    for line, token, _value in tokens:
        if token in ("block_begin", "linestatement_begin"):
            name = next((v for _, t, v in tokens if t == "name"), "")
            problems.append(
                PageProblem(
                    line,
                    f"expected {LESSON_PAGE_RULE}, got a {{% {name} %}} tag",
                )
            )
        elif token in ("comment_begin", "linecomment_begin"):
            problems.append(
                PageProblem(
                    line,
                    f"expected {LESSON_PAGE_RULE}, got a Jinja comment {{# ... #}}, which hides "
                    "what it holds (an attribute list is written `{ #id }`, with a space)",
                )
            )
    return problems


def _allowed_calls(
    tree: nodes.Template, macros: Mapping[str, Callable]
) -> tuple[list[nodes.Call], list[PageProblem], set[str]]:
    """The page's `{{ macro(...) }}` calls, a problem for every other expression, and the
    macros called with arguments that are not literals (reported: not "missing" as well)."""
    calls: list[nodes.Call] = []
    problems: list[PageProblem] = []
    miscalled: set[str] = set()
    for output in tree.body:
        if not isinstance(output, nodes.Output):
            continue  # a tag: reported from the tokens
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            refused = _refused(node, macros)
            if refused is None:
                calls.append(node)
            else:
                if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                    miscalled.add(node.node.name)
                problems.append(
                    PageProblem(
                        refused.lineno or node.lineno,
                        f"expected {LESSON_PAGE_RULE}, got {_described(refused)}",
                    )
                )
    return calls, problems, miscalled


def _refused(node: nodes.Node, macros: Mapping[str, Callable]) -> nodes.Node | None:
    """The first part of an `{{ ... }}` expression that is not a literal call, or None (a call
    of an unknown name is then reported as such, with the nearest macro's name)."""
    if not isinstance(node, nodes.Call):
        return node
    if not isinstance(node.node, nodes.Name):
        return node.node
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return node.dyn_args or node.dyn_kwargs
    for value in [*node.args, *(keyword.value for keyword in node.kwargs)]:
        if not isinstance(value, nodes.Const) or not isinstance(
            value.value, str | int | float | bool | type(None)
        ):
            return value
    return None


def _described(node: nodes.Node) -> str:
    if isinstance(node, nodes.Call):
        callee = node.node
        if isinstance(callee, nodes.Name):
            return f"a call of {callee.name}(), which is not a lesson macro"
        return _described(callee)
    if isinstance(node, nodes.Getattr):
        return f"attribute access (.{node.attr})"
    if isinstance(node, nodes.Getitem):
        return "item access ([...])"
    if isinstance(node, nodes.Filter):
        return f"a filter (| {node.name})"
    if isinstance(node, nodes.Test):
        return f"a test (is {node.name})"
    if isinstance(node, nodes.Name):
        return f"a bare name ({node.name})"
    if isinstance(node, nodes.Const):
        return "a literal outside a macro call"
    if isinstance(node, nodes.BinExpr | nodes.UnaryExpr | nodes.Concat | nodes.Compare):
        return "arithmetic or an operator"
    if isinstance(node, nodes.CondExpr):
        return "a conditional expression (... if ... else ...)"
    return f"an expression ({type(node).__name__})"


# Raw HTML and what else Markdown turns into live markup, read from a lesson page's source.
# Only inline code spans are set aside: code blocks are read too, since telling one from an
# indented paragraph is Markdown's own business, and a mistake there would hide markup. Code
# that needs `<` belongs in the lesson's example, included with `--8<--` (never checked here).
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_REFERENCE_DEFINITION = re.compile(
    r"^[ ]{0,3}\[[^\[\]\n]*\]:[ \t]*\n?[ \t]*(?P<url>\S+)", re.MULTILINE
)
# Read up to URL_MAX characters from each `](`, so a line of many is still read in linear time.
URL_MAX = 1000
_DESTINATION = re.compile(
    rf"\s*(?:<(?P<angle>[^<>\n]{{0,{URL_MAX}}})|(?P<plain>[^\s)]{{0,{URL_MAX}}}))"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Browsers drop these from a URL before reading its scheme; `\` may stand for `/`.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


def raw_html(source: str) -> list[PageProblem]:
    """A lesson page's prose may not carry markup of its own: an HTML tag (so no script, no
    event handler, no iframe), an attribute list with `key=value` (`{ onclick=... }`), or a link
    or image that leaves the site (`javascript:`, `https://...`, `//host/...`)."""
    problems = []
    lines = [
        "" if _SNIPPET_LINE.match(line) else _outside_code_spans(_outside_jinja(line))
        for line in source.split("\n")
    ]
    where = "in a lesson page"
    for number, line in enumerate(lines, 1):
        tag = _TAG_START.search(line)
        if tag:
            shown = line[tag.start() : tag.start() + 12]
            problems.append(
                PageProblem(
                    number,
                    f"expected Markdown {where}, got raw HTML starting {shown!r} (write &lt; "
                    "for a literal <, or `<code>` in backticks; a listing with < belongs in "
                    "the example, shown with --8<--)",
                )
            )
        attributes = next((line[a:b] for a, b in _braces(line) if "=" in line[a:b]), None)
        if attributes:
            problems.append(
                PageProblem(
                    number,
                    f"expected at most an id and classes in an attribute list {where} "
                    f"({{ #id .class }}), got {attributes[:40]!r}",
                )
            )
    text = "\n".join(lines)
    line_starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)]
    urls = [(at, _link_destination(text, at + 2)) for at in _find_all(text, "](")]
    urls += [(m.start("url"), m.group("url")) for m in _REFERENCE_DEFINITION.finditer(text)]
    for at, url in urls:
        if len(url) >= URL_MAX:
            problems.append(
                PageProblem(
                    bisect.bisect_right(line_starts, at),
                    f"expected a link or image destination of under {URL_MAX:,} characters, "
                    f"got one starting {url[:40]!r}",
                )
            )
        elif _leaves_the_site(url):
            problems.append(
                PageProblem(
                    bisect.bisect_right(line_starts, at),
                    f"expected links and images {where} to stay on the site (a relative path "
                    f"or #fragment), got {url[:80]!r}",
                )
            )
    return sorted(problems, key=lambda problem: problem.line)


def _leaves_the_site(url: str) -> bool:
    seen = _IGNORED_IN_URLS.sub("", html.unescape(url.strip("<>")))
    if seen[:2].replace("\\", "/") == "//":
        return True  # `//host/path`: another site, on this page's scheme
    return bool(_SCHEME.match(seen.replace("\\", "")))


def _link_destination(text: str, start: int) -> str:
    """The destination of `[text](destination "title")`, read from just after `(`."""
    found = _DESTINATION.match(text, start)
    return (found.group("angle") or found.group("plain") or "") if found else ""


def _find_all(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _braces(text: str) -> Iterator[tuple[int, int]]:
    """Each `{ ... }` on the line, innermost first where they nest (linear: str.find only)."""
    at = text.find("{")
    while at >= 0:
        close = text.find("}", at)
        if close < 0:
            return
        inner = text.rfind("{", at, close)
        yield inner, close + 1
        at = text.find("{", close)


def _outside_jinja(line: str) -> str:
    """The line without its `{{ ... }}`, `{% ... %}` and `{# ... #}` (checked as Jinja; a
    macro's keyword argument holds `=`). Each opener's next place is found once per pass over
    it, so a line of many of them is still read in linear time."""
    out, at = [], 0
    next_at = {opener: line.find(opener) for opener in _JINJA_PAIRS}
    while True:
        for opener in next_at:
            if 0 <= next_at[opener] < at:
                next_at[opener] = line.find(opener, at)
        found = [(place, opener) for opener, place in next_at.items() if place >= 0]
        if not found:
            break
        start, opener = min(found)
        end = line.find(_JINJA_PAIRS[opener], start + 2)
        if end < 0:
            break
        out.append(line[at:start])
        at = end + 2
    out.append(line[at:])
    return " ".join(out)


_JINJA_PAIRS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _outside_code_spans(line: str) -> str:
    """The line without its inline code spans, as Python-Markdown finds them: a run of n
    backticks (not escaped by a backslash) up to the next run of exactly n. An unclosed run is
    text. Each run is looked at a bounded number of times: a length that found no closing run
    finds none further on either."""
    out, at, length = [], 0, len(line)
    unclosed: set[int] = set()
    search = 0
    while (start := line.find("`", search)) >= 0:
        run = start
        while run < length and line[run] == "`":
            run += 1
        ticks = run - start
        escaped = (start - len(line[:start].rstrip("\\"))) % 2 == 1
        if escaped:
            start += 1  # the escaped backtick is text; the rest of the run may open a span
            ticks -= 1
        end = -1
        if ticks and ticks not in unclosed:
            scan = run
            while (found := line.find("`", scan)) >= 0:
                stop = found
                while stop < length and line[stop] == "`":
                    stop += 1
                if stop - found == ticks:
                    end = stop
                    break
                scan = stop
            if end < 0:
                unclosed.add(ticks)
        if end < 0:
            search = run
            continue
        out.append(line[at:start])
        at = search = end
    out.append(line[at:])
    return " ".join(out)


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
        text = _h2_text(line)
        if text is None or "{{" in text:
            continue
        given = _attr_list_id(text)
        if given:
            ids.setdefault(given, number)
            used.add(given)
        else:
            ids.setdefault(unique(slugify(text, "-"), used), number)
    return ids


# Headings are read with string methods, not regular expressions: a pattern for "text, then
# optional closing hashes" backtracks polynomially on a line of spaces and hashes (a `##`
# heading with 4,000 spaces took a minute).


def _h2_text(line: str) -> str | None:
    """The text of a `## text ##` heading line, or None for any other line."""
    if not line.startswith("##") or line[2:3] not in (" ", "\t"):
        return None
    return line[2:].strip(" \t").rstrip("#").rstrip(" \t")


def _attr_list_id(text: str) -> str | None:
    """The `#id` of the attribute list `{: #id .class }` that ends a heading's text, if any."""
    if not text.endswith("}"):
        return None
    start = text.rfind("{")
    if start < 0:
        return None
    words = text[start + 1 : -1].removeprefix(":").split()
    return next((word[1:] for word in words if word.startswith("#") and len(word) > 1), None)


def missing_mode_headings(markdown: str, modes: Iterable) -> list[PageProblem]:
    """`missing_mode_sections`, read from the page's Markdown: each learning mode's sections
    need a `##` heading with their id. Reported at the page's last line, like a missing call."""
    last_line = markdown.count("\n") + 1
    return [
        PageProblem(last_line, message)
        for message in _missing_sections(heading_ids(markdown), modes)
    ]
