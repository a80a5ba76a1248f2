"""Read lesson files and return validated models, or one error that lists every problem.

Each problem reads `file:line: field.path: expected ..., got ...`. The line comes from the YAML
node the problem is about; a missing field is reported at the mapping that should hold it.

Lesson data is never code, and reading it is bounded: a file is plain YAML (no anchors, aliases
or tags, at most `MAX_DEPTH` levels deep, at most `MAX_FILE_BYTES` long, printable text), its
mapping keys are read as the text written, and whatever the author wrote, a problem is reported
as a line of the error, never as a traceback.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .checks import FieldPath, Problem, cross_check, format_path
from .models import QUESTION_TYPES, Lesson, describe

LESSONS_DIR = "lessons"
LESSON_FILE = "lesson.yml"
MAX_FILE_BYTES = 1_000_000  # 1 MB; the one lesson today is about 62 kB
MAX_PARSED = 1_000  # lessons kept parsed; a long `mkdocs serve` session starts afresh past it
MAX_DEPTH = 50  # levels of nested lists and mappings; a lesson needs about 8


class LessonError(Exception):
    """Every problem found in one or more lesson files, one per line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
        super().__init__(f"Invalid lesson data ({count}):\n" + "\n".join(lines))


class _LineMap:
    """Line numbers of every key and item in a YAML document, keyed by path."""

    def __init__(self) -> None:
        self.lines: dict[FieldPath, int] = {}
        self.duplicates: list[Problem] = []

    def line_of(self, path: FieldPath) -> int:
        # A missing field has no line of its own: walk up to the nearest node that exists.
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def walk(self, node: yaml.Node, path: FieldPath) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in first_seen:
                    self.duplicates.append(
                        Problem(
                            (*path, key),
                            f"expected each key once, got {key!r} again "
                            f"(first at line {first_seen[key]})",
                            line=line,
                        )
                    )
                    continue
                first_seen[key] = line
                # The key's line, not its value's: a block scalar's value starts a line later.
                self.lines[(*path, key)] = line
                self.walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*path, index))


class _Rejected(Exception):
    """Something a lesson file may not contain, found before the document is built."""

    def __init__(self, line: int, path: str, message: str):
        super().__init__(message)
        self.line, self.path, self.message = line, path, message


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG_PREFIX) :] if tag.startswith(_YAML_TAG_PREFIX) else tag


class _LessonChecks:
    """PyYAML's safe loader, made stricter for lesson files.

    Every event is checked as the composer takes it from the parser, before a node is built
    from it: an alias (and so an alias bomb) or a tag never reaches the composer, and nesting
    stops at `MAX_DEPTH` before the composer's recursion gets deep. Mapping keys are read as
    the text written (`8:` and `yes:` are the keys '8' and 'yes', as on the page), so the
    line map and the data agree on every key. A value that YAML resolves to a date or a number
    but cannot convert is reported at its line.
    """

    depth = 0

    def get_event(self) -> yaml.Event:
        event = super().get_event()
        line = event.start_mark.line + 1
        plain = "(anchors and aliases are not allowed in lesson files)"
        if isinstance(event, yaml.AliasEvent):
            raise _Rejected(
                line, "(YAML)", f"expected plain values, got an alias `*{event.anchor}` {plain}"
            )
        if getattr(event, "anchor", None) is not None:
            raise _Rejected(
                line, "(YAML)", f"expected plain values, got an anchor `&{event.anchor}` {plain}"
            )
        if getattr(event, "tag", None) is not None:
            raise _Rejected(
                line,
                "(YAML)",
                f"expected plain values, got a tag `{_shown_tag(event.tag)}` "
                "(tags are not allowed in lesson files; quote text instead)",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Rejected(
                    line,
                    "(YAML)",
                    f"expected at most {MAX_DEPTH} levels of nested lists and mappings, "
                    f"got level {self.depth}",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            self.depth -= 1
        return event

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        # No merge keys (`<<`): a key is the text written, so `<<` is just an unknown key.
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                raise _Rejected(
                    key_node.start_mark.line + 1,
                    "(YAML)",
                    f"expected text keys (field names and ids), got {kind} as a key",
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as error:
            # `2024-13-45` resolves to a date that does not exist; a number of more than
            # 4300 digits cannot be converted.
            reason = str(error).split(";")[0]
            raise _Rejected(
                node.start_mark.line + 1,
                "(YAML)",
                f"expected a value YAML can read, got {describe(node.value)} ({reason}); "
                "quote it to make it text",
            ) from None


class _FastLessonLoader(_LessonChecks, Composer, SafeConstructor, Resolver, CParser):
    """On libyaml's parser: PyYAML's own scanner took most of a build's time (0.6 s a lesson
    file). libyaml words its syntax errors differently, so a file it rejects is read again by
    `_LessonLoader`, whose messages (and verdict) are the ones reported."""

    def __init__(self, stream: str):
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


class _LessonLoader(_LessonChecks, yaml.SafeLoader):
    pass


# What YAML accepts in a file (PyYAML's Reader.NON_PRINTABLE): tab, line breaks and printable
# characters.
_NON_PRINTABLE = re.compile(
    r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _file_problem(text: str) -> tuple[int, str] | None:
    """The line and message of a problem with the file as a whole, found before parsing."""
    if len(text) > MAX_FILE_BYTES:
        return 1, f"expected at most {MAX_FILE_BYTES} characters, got {len(text)}"
    found = _NON_PRINTABLE.search(text)
    if found:
        char = found.group()
        control = unicodedata.category(char) == "Cc"
        kind = "a control character" if control else "a non-printable character"
        return (
            text.count("\n", 0, found.start()) + 1,
            f"expected printable text, got {kind} U+{ord(char):04X}",
        )
    return None


def _pydantic_problem(error: dict[str, Any]) -> Problem:
    path = _author_path(error["loc"])
    kind = error["type"]
    got = error.get("input")
    ctx = error.get("ctx", {})
    if kind == "question_type" and not isinstance(got, dict):
        return Problem(path, f"expected a question (a mapping of fields), got {describe(got)}")
    if kind == "question_type":
        kinds = list(QUESTION_TYPES)
        expected = ", ".join(repr(k) for k in kinds[:-1]) + f" or {kinds[-1]!r}"
        return Problem((*path, "type"), f"expected {expected}, got {describe(got.get('type'))}")
    if kind == "missing":
        return Problem(path, "expected a value (this field is required), got nothing")
    if kind == "extra_forbidden":
        return Problem(path, f"expected a known field, got unknown key {path[-1]!r}")
    if kind in ("string_type", "str_type"):
        return Problem(path, f"expected text, got {describe(got)}")
    if kind == "string_unicode" and isinstance(got, str):
        # A double-quoted "\ud800" is a lone surrogate: no character, and not writable as UTF-8.
        lone = next(char for char in got if "\ud800" <= char <= "\udfff")
        return Problem(
            path,
            f"expected valid Unicode text, got a lone surrogate U+{ord(lone):04X} in {describe(got)}",
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Problem(path, f"expected a whole number, got {describe(got)}")
    if kind in ("list_type",):
        return Problem(path, f"expected a list, got {describe(got)}")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Problem(path, f"expected a mapping of fields, got {describe(got)}")
    if kind == "literal_error":
        return Problem(
            path,
            f"expected {ctx.get('expected', 'one of the allowed values')}, got {describe(got)}",
        )
    if kind == "string_pattern_mismatch":
        return Problem(path, f"expected a kebab-case id (like 'run-anywhere'), got {describe(got)}")
    if kind == "string_too_short":
        return Problem(path, f"expected non-empty text, got {describe(got)}")
    if kind == "string_too_long":
        length = len(got.strip()) if isinstance(got, str) else "more"  # measured once trimmed
        return Problem(path, f"expected at most {ctx.get('max_length')} characters, got {length}")
    if kind == "too_short":
        return Problem(
            path,
            f"expected at least {_items(ctx.get('min_length'))}, got {ctx.get('actual_length')}",
        )
    if kind == "too_long":
        # pydantic leaves a mapping's actual length out.
        actual = ctx.get("actual_length")
        if actual is None and isinstance(got, dict | list):
            actual = len(got)
        return Problem(path, f"expected at most {_items(ctx.get('max_length'))}, got {actual}")
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return Problem(path, f"expected a number >= {bound}, got {describe(got)}")
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return Problem(path, f"expected a number <= {bound}, got {describe(got)}")
    if kind == "value_error":
        # Our own validators already phrase their message as "expected ..., got ...".
        return Problem(path, str(ctx.get("error", error["msg"])))
    return Problem(path, f"expected {error['msg'].lower()}, got {describe(got)}")


def _items(count: object) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _author_path(loc: tuple) -> FieldPath:
    # pydantic puts the question type's tag after a question's index ("practice", 0,
    # "ordering", "items"), and "[key]" after a mapping key it rejects; the author never wrote
    # either, so neither is part of the field path.
    path: list[str | int] = []
    for part in loc:
        if part in QUESTION_TYPES and path and isinstance(path[-1], int):
            continue
        if part == "[key]":  # pydantic's mark for a mapping key: the path already ends with it
            continue
        path.append(part)
    return tuple(path)


def _report(source: str, lines: _LineMap, problems: list[Problem]) -> list[str]:
    def line(problem: Problem) -> int:
        return problem.line or lines.line_of(problem.path)

    ordered = sorted(problems, key=lambda p: (line(p), format_path(p.path)))
    return [f"{source}:{line(p)}: {format_path(p.path)}: {p.message}" for p in ordered]


def _compose_and_construct(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def parse_lesson(text: str, source: str, slug: str | None = None) -> Lesson:
    """Validate the text of one lesson file. `source` names the file in messages."""
    found = _file_problem(text)
    if found:
        raise LessonError([f"{source}:{found[0]}: (file): {found[1]}"])
    try:
        try:
            node, data = _compose_and_construct(_FastLessonLoader, text)
        except yaml.YAMLError:
            node, data = _compose_and_construct(_LessonLoader, text)
    except _Rejected as error:
        raise LessonError([f"{source}:{error.line}: {error.path}: {error.message}"]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = ": ".join(filter(None, [error.context, error.problem]))
        raise LessonError(
            [f"{source}:{line}: (YAML syntax): expected valid YAML, got {problem}"]
        ) from None
    lines = _LineMap()
    if node is not None:
        lines.walk(node, ())
    if not isinstance(data, dict):
        raise LessonError(
            [f"{source}:1: (top level): expected a mapping of lesson fields, got {describe(data)}"]
        )
    problems = list(lines.duplicates)
    lesson: Lesson | None = None
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        problems += [_pydantic_problem(e) for e in errors]
        problems += cross_check(_valid_sections(data, {e["loc"][0] for e in errors if e["loc"]}))
    else:
        problems += cross_check(lesson)
    if slug is not None and isinstance(data.get("id"), str) and data["id"] != slug:
        problems.append(
            Problem(("id",), f"expected {slug!r} (the lesson's folder name), got {data['id']!r}")
        )
    if problems or lesson is None:
        raise LessonError(_report(source, lines, problems))
    return lesson


def _valid_sections(data: dict[str, Any], broken: set[str | int]) -> dict[str, Any]:
    """The top-level sections that validate on their own, so cross-checks can still run."""
    sections = {}
    for name, field in Lesson.model_fields.items():
        key = field.alias or name
        if key in data and key not in broken:
            try:
                sections[name] = TypeAdapter(field.annotation).validate_python(data[key])
            except ValidationError:
                continue
    return sections


def _shown(path: Path, project_dir: Path | None) -> str:
    """The file as a problem names it: relative to the project directory when it is inside it
    (each made absolute first, so a relative and an absolute path still compare), else whole."""
    if project_dir is None:
        return path.as_posix()
    absolute, project = Path(os.path.abspath(path)), Path(os.path.abspath(project_dir))
    return (absolute.relative_to(project) if absolute.is_relative_to(project) else path).as_posix()


# Each build reads every lesson twice (mkdocs-macros' define_env, and hooks.py's on_config), and
# `mkdocs serve` every lesson at every rebuild: a text parsed before is not parsed again.
_parsed: dict[tuple[str, str, str], Lesson] = {}


def load_lesson(path: Path, relative_to: Path | None = None) -> Lesson:
    source = _shown(path, relative_to)
    if path.is_symlink() or not path.is_file():
        # A link could read a file from outside the project into the error; a pipe would hang.
        kind = "a symbolic link" if path.is_symlink() else "something that is not a file"
        raise LessonError([f"{source}:1: (file): expected a regular file, got {kind}"])
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)  # never more than the limit, however big the file
    if len(data) > MAX_FILE_BYTES:
        size = path.stat().st_size
        raise LessonError(
            [f"{source}:1: (file): expected at most {MAX_FILE_BYTES} bytes, got {size} bytes"]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LessonError(
            [f"{source}:{line}: (file): expected UTF-8 text, got {error.reason}"]
        ) from None
    key = (source, path.parent.name, hashlib.sha256(data).hexdigest())
    if key not in _parsed:
        if len(_parsed) > MAX_PARSED:
            _parsed.clear()
        _parsed[key] = parse_lesson(text, source, slug=path.parent.name)
    return _parsed[key]


def load_lessons(docs_dir: Path, project_dir: Path | None = None) -> dict[str, Lesson]:
    """Every lesson under `docs/lessons/*/lesson.yml`, by slug, in title order.

    All files are read before anything is raised, so one run shows every problem in every file.
    """
    lessons: dict[str, Lesson] = {}
    errors: list[str] = []
    for path in sorted((docs_dir / LESSONS_DIR).glob(f"*/{LESSON_FILE}")):
        try:
            lesson = load_lesson(path, relative_to=project_dir)
        except LessonError as error:
            errors += error.lines
        else:
            lessons[lesson.id] = lesson
            if project_dir is not None:
                errors += _example_problems(lesson, path, project_dir)
    for path in sorted((docs_dir / LESSONS_DIR).glob(f"*/{LESSON_FILE}")):
        lesson = lessons.get(path.parent.name)
        if lesson is not None:
            errors += _glossary_from_problems(lesson, path, lessons, project_dir)
    if errors:
        raise LessonError(errors)
    return dict(sorted(lessons.items(), key=lambda item: item[1].title.lower()))


def _top_level_line(path: Path, key: str) -> int:
    """The line of a top-level key: it starts its line, so its first such line is the key's."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, row in enumerate(lines, 1) if row.startswith(f"{key}:")), 1)


def _glossary_from_problems(
    lesson: Lesson, path: Path, lessons: dict[str, Lesson], project_dir: Path | None
) -> list[str]:
    """`glossary_from` names other lessons that exist, each once."""
    problems = []
    for index, slug in enumerate(lesson.glossary_from):
        if slug == lesson.id:
            got = f"{slug!r}, this lesson itself (its own terms are always linked)"
        elif slug not in lessons:
            got = f"{slug!r}, which is no lesson's id"
        elif slug in lesson.glossary_from[:index]:
            got = f"{slug!r} again"
        else:
            continue
        problems.append(
            f"{_shown(path, project_dir)}:{_top_level_line(path, 'glossary_from')}: "
            f"glossary_from[{index}]: expected the id of another lesson, got {got}"
        )
    return problems


EXAMPLES_DIR = "examples"
# What every example folder holds; the lesson shows them and CI runs them.
EXAMPLE_FILES = ("Dockerfile", "commands.sh", "expected-output.json", "image-check.sh")


def _example_problems(lesson: Lesson, path: Path, project_dir: Path) -> list[str]:
    """The lesson's `example` must name a folder under examples/ with every EXAMPLE_FILES file."""
    folder = project_dir / EXAMPLES_DIR / lesson.example
    missing = [name for name in EXAMPLE_FILES if not (folder / name).is_file()]
    if not missing:
        return []
    line = _top_level_line(path, "example")
    got = (
        f"no folder {EXAMPLES_DIR}/{lesson.example}/"
        if not folder.is_dir()
        else f"{EXAMPLES_DIR}/{lesson.example}/ without {', '.join(missing)}"
    )
    return [
        f"{_shown(path, project_dir)}:{line}: example: expected a folder {EXAMPLES_DIR}/"
        f"{lesson.example}/ with {', '.join(EXAMPLE_FILES)}, got {got}"
    ]
