"""Glossary links: pure functions from a page's HTML and the glossary to the same HTML in which
the first mention of each term in each section links to its definition.

The link carries the definition in `title`, which site.js shows as a tooltip on hover and on
keyboard focus; without JavaScript it is the browser's own tooltip, and the link still leads to
the definition. Only running prose is touched (paragraphs, list items, definitions), never code,
headings, links, form labels, quizzes (a definition can give an answer away) or the blocks that
already define the terms.
"""

from __future__ import annotations

import _sre
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from re._casefix import _EXTRA_CASES

from .models import GlossaryEntry

VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
SKIP_TAGS = frozenset(
    [
        "a",
        "abbr",
        "button",
        "code",
        "dfn",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "kbd",
        "label",
        "legend",
        "pre",
        "samp",
        "script",
        "select",
        "style",
        "summary",
        "svg",
        "textarea",
        "var",
    ]
)
SKIP_CLASSES = frozenset(
    [
        "cheat-sheet",
        "flashcards",
        "flow-diagram",
        "glossary",
        "mode-picker",
        "quiz",
        "step-through",
        "lesson-tags",
        "md-source-file",
    ]
)
PROSE_TAGS = frozenset({"p", "li", "dd"})
SECTION_TAG = "h2"  # each `##` section gets its own first mentions: modes show sections alone


@dataclass(frozen=True)
class Term:
    lesson_id: str  # the lesson whose glossary defines it: its page holds the definition
    entry_id: str
    spellings: tuple[str, ...]  # the term and its other forms
    definition: str  # plain text, for the tooltip


def term(lesson_id: str, entry: GlossaryEntry) -> Term:
    return Term(
        lesson_id,
        entry.id,
        (entry.term, *entry.forms),
        " ".join(entry.definition.replace("`", "").split()),
    )


class Glossary:
    """Terms compiled once per build: which term each spelling means (the first given wins)
    and one pattern that finds them all. Only the links' targets differ from page to page.

    The pattern is the spellings as a trie: a spelling shares its start with every other
    spelling that starts alike, and at each point where spellings part, each branch starts
    with a character no other branch's first character matches (`_edge`). So at each place in
    a text the pattern follows one path, at most as long as the longest spelling, whatever the
    number of spellings. (An alternation of every spelling tried each in turn, at every word:
    about 3 s for a paragraph of 2,000 characters with a glossary made to be slow.) It finds what
    that alternation found: whole words (no letter, digit, `_` or `-` on either side), in any
    case, with any run of white space between the words, the longest spelling that matches.
    """

    def __init__(self, terms: Iterable[Term]):
        self.by_spelling: dict[str, Term] = {}
        for entry in terms:
            for spelling in entry.spellings:
                self.by_spelling.setdefault(_key(spelling), entry)
        self._trie = _Node()
        for key in self.by_spelling:
            self._trie.add(key)
        self.pattern = re.compile(
            r"(?<![\w-])(" + _pattern(self._trie) + r")(?![\w-])", re.IGNORECASE
        )

    def term_of(self, text: str) -> Term:
        """The term a mention found by `pattern` means: its spelling as written, else the
        spelling whose path through the trie it took (as `ſ` for `s`)."""
        found = self.by_spelling.get(_key(text))
        return found if found is not None else self.by_spelling[self._trie.spelling_of(text)]

    def link(self, content: str, href: Callable[[Term], str]) -> str:
        """`content` with each term's first mention per section linked to `href(term)`."""
        if not self.by_spelling:
            return content
        linker = _Linker(self, href)
        linker.feed(content)
        linker.close()
        return "".join(linker.out)


_SPACE = ("space", " ")  # the edge for a run of white space between two words


def _edge(char: str) -> tuple[str, str]:
    """Which text characters `char` matches in an IGNORECASE pattern, as re compiles it
    (re/_compiler.py): a character without case matches itself only; one with case matches
    every character whose simple lower case is in its lower case's class (those sharing an
    upper case: `i` and dotless `ı`, `s` and long `ſ`). Characters with one edge match the
    same text, and characters with different edges match none in common."""
    code = ord(char)
    if not _sre.unicode_iscased(code):
        return ("exact", char)
    lower = _sre.unicode_tolower(code)
    return ("case", chr(min((lower, *_EXTRA_CASES.get(lower, ())))))


@dataclass
class _Node:
    edges: dict[tuple[str, str], tuple[str, _Node]] = field(default_factory=dict)
    spelling: str | None = None  # the spelling that ends here, the first given of its edges

    def add(self, key: str) -> None:
        node = self
        for index, word in enumerate(key.split(" ")):
            steps = [(_SPACE, r"\s++")] if index else []
            # Possessive: the next character of a spelling is never white space, so giving
            # back part of the run could never help.
            steps += [(_edge(char), re.escape(char)) for char in word]
            for edge, written in steps:
                node = node.edges.setdefault(edge, (written, _Node()))[1]
        if node.spelling is None:
            node.spelling = key

    def spelling_of(self, text: str) -> str:
        node = self
        for index, word in enumerate(text.split()):
            for edge in ([_SPACE] if index else []) + [_edge(char) for char in word]:
                node = node.edges[edge][1]
        assert node.spelling is not None, text
        return node.spelling


def _pattern(node: _Node) -> str:
    """The trie from `node` as a pattern: a spelling's longer continuations are tried before it
    ends, so the longest spelling that matches wins. Groups nest once per point where spellings
    part or end, so at most once per character of the longest spelling (LABEL_MAX): re's
    parser, which recurses per group, takes 200 levels well within Python's recursion limit."""
    chain = []
    while len(node.edges) == 1 and node.spelling is None:  # no choice to make: no group
        ((written, node),) = node.edges.values()
        chain.append(written)
    branches = [written + _pattern(child) for written, child in node.edges.values()]
    if node.spelling is not None:
        branches.append("")
    if len(branches) > 1:
        chain.append("(?:" + "|".join(branches) + ")")
    elif branches:
        chain.append(branches[0])
    return "".join(chain)


class _Linker(HTMLParser):
    def __init__(self, glossary: Glossary, href: Callable[[Term], str]):
        super().__init__(convert_charrefs=False)  # keep entities exactly as they were written
        self.glossary = glossary
        self.href = href
        self.out: list[str] = []
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, in prose)
        self.linked: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag == SECTION_TAG:
            self.linked.clear()
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped, prose = self.stack[-1][1:] if self.stack else (False, False)
        self.stack.append(
            (
                tag,
                skipped or tag in SKIP_TAGS or bool(classes & SKIP_CLASSES),
                prose or tag in PROSE_TAGS,
            )
        )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data: str) -> None:
        skipped, prose = self.stack[-1][1:] if self.stack else (True, False)
        pattern = self.glossary.pattern
        self.out.append(data if skipped or not prose else pattern.sub(self._link, data))

    def _link(self, match: re.Match[str]) -> str:
        found = self.glossary.term_of(match.group(1))
        if found.entry_id in self.linked:
            return match.group(0)
        self.linked.add(found.entry_id)
        return (
            f'<a class="glossary-term" href="{html.escape(self.href(found))}" '
            f'title="{html.escape(found.definition)}" '
            f'data-glossary-term="{html.escape(found.entry_id)}">{match.group(1)}</a>'
        )

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def _key(spelling: str) -> str:
    return " ".join(spelling.lower().split())
