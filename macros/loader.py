"""Read lesson files and return validated models, or one error that lists every problem.

Each problem reads `file:line: field.path: expected ..., got ...`. The line comes from the YAML
node the problem is about; a missing field is reported at the mapping that should hold it.

Lesson data is never code, and reading it is bounded: a file is plain YAML (no anchors, aliases
or tags, at most `MAX_DEPTH` levels deep, at most `MAX_FILE_BYTES` long, printable text), its
mapping keys are read as the text written, and whatever the author wrote, a problem is reported
as a line of the error, never as a traceback.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import types
import typing
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .checks import FieldPath, Problem, cross_check, format_path, partial_section
from .models import (
    QUESTION_TYPES,
    QUIZ_SECTIONS,
    Lesson,
    describe,
    format_characters,
    shown_characters,
)

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
        return Problem(
            path,
            f"expected a known field, got unknown key {path[-1]!r}" + _nearest_field(error["loc"]),
        )
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
        invisible = format_characters(got) if isinstance(got, str) else []
        if invisible:  # an id that looks right: say what is in it
            return Problem(
                path,
                f"expected no invisible format characters, got {shown_characters(invisible[:1])} "
                f"in {describe(got)}",
            )
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


def _nearest_field(loc: tuple) -> str:
    """` (did you mean `why_wrong`?)` when an unknown key is close to one of its model's keys."""
    model = _model_at(loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return ""
    keys = [info.alias or name for name, info in model.model_fields.items()]
    close = difflib.get_close_matches(loc[-1], keys, n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model that holds the mapping at pydantic's `loc` (question type tags included)."""
    current: Any = Lesson
    for part in loc:
        current = _unwrapped(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            info = fields.get(part) if isinstance(part, str) else None
            if info is None:
                return None
            current = info.annotation
        elif typing.get_origin(current) is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif part in QUESTION_TYPES:  # the tag pydantic puts after a question's index
            current = QUESTION_TYPES[part]
        else:
            return None
    current = _unwrapped(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrapped(annotation: Any) -> Any:
    """The type inside `Annotated[...]` and `X | None`."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) == 1:
                annotation = options[0]
                continue
        return annotation


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


def _report(
    source: str, lines: _LineMap, problems: list[Problem], data: dict[str, Any]
) -> list[str]:
    def line(problem: Problem) -> int:
        return problem.line or lines.line_of(problem.path)

    ordered = sorted(problems, key=lambda p: (line(p), format_path(p.path)))
    return [f"{source}:{line(p)}: {_shown_path(p.path, data)}: {p.message}" for p in ordered]


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _shown_path(path: FieldPath, data: dict[str, Any]) -> str:
    """The field path, with a question's id after its position: `test_bank[4] (tb-tags).id`,
    so a problem is found by the id an author knows as well as by counting."""
    shown = format_path(path)
    if len(path) < 2 or path[0] not in QUIZ_SECTIONS or not isinstance(path[1], int):
        return shown
    questions = data.get(path[0])
    if not isinstance(questions, list) or not 0 <= path[1] < len(questions):
        return shown
    question = questions[path[1]]
    found = question.get("id") if isinstance(question, dict) else None
    if not isinstance(found, str) or len(found) > 64 or not _ID.match(found):
        return shown  # no id, or one the author must fix first: the position alone
    head = format_path(path[:2])
    return f"{head} ({found}){shown[len(head) :]}"


def _compose_and_construct(loader_class: type, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def parse_lesson(text: str, source: str, slug: str | None = None) -> Lesson:
    """Validate the text of one lesson file. `source` names the file in messages."""
    return _parse(text, source, slug)[0]


def _parse(text: str, source: str, slug: str | None) -> tuple[Lesson, list[str]]:
    """The lesson and its warnings (see `lesson_warnings`)."""
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
        try:
            explained = _explain_syntax(text, error)
        except (IndexError, ValueError, AttributeError):  # a guess that fails: say what YAML says
            explained = None
        if explained:
            raise LessonError([f"{source}:{explained[0]}: (YAML syntax): {explained[1]}"]) from None
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
        raise LessonError(_report(source, lines, problems, data))
    return lesson, _warnings(source, lines, data)


def _warnings(source: str, lines: _LineMap, data: dict[str, Any]) -> list[str]:
    """Invisible format characters left where the models allow them (prose: a zero-width
    joiner belongs in an emoji and in some scripts), each text's at its field's line."""
    found: list[tuple[int, str, str]] = []

    def walk(value: Any, path: FieldPath) -> None:
        if isinstance(value, str):
            chars = format_characters(value)
            if chars:
                plural = "s" if len(chars) > 1 else ""
                found.append(
                    (
                        lines.line_of(path),
                        _shown_path(path, data),
                        f"warning: invisible format character{plural} {shown_characters(chars)} "
                        f"in {describe(value)} (allowed in prose, where emoji and some scripts "
                        f"need {'them' if plural else 'it'}: delete any that were pasted by "
                        "accident)",
                    )
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(data, ())
    return [f"{source}:{line}: {path}: {message}" for line, path, message in sorted(found)]


def _valid_sections(data: dict[str, Any], broken: set[str | int]) -> dict[str, Any]:
    """What validates of each top-level section, so cross-checks run on all of it: a section
    whole, or (one with errors) the fields of it that validate, a list's items that validate and
    None for each that does not. `broken` names the sections with errors."""
    sections = {}
    for name, field in Lesson.model_fields.items():
        key = field.alias or name
        if key not in data:
            continue
        if key not in broken:
            try:
                sections[name] = _adapter(field.annotation).validate_python(data[key])
                continue
            except ValidationError:
                pass
        partial = _partial(field.annotation, data[key], section=True)
        if partial is not None:
            sections[name] = partial
    return sections


def _partial(annotation: Any, value: Any, *, section: bool = False) -> Any:
    """`value` validated as `annotation`, or what of it validates, or None."""
    try:
        return _adapter(annotation).validate_python(value)
    except ValidationError:
        pass
    inner = _unwrapped(annotation)
    if typing.get_origin(inner) is list and isinstance(value, list):
        items = _adapter(typing.get_args(inner)[0])
        return [_validated_or_none(items, item) for item in value]
    if section and isinstance(value, dict) and _is_model(inner):
        fields = {}
        for name, info in inner.model_fields.items():
            key = info.alias or name
            found = _partial(info.annotation, value[key]) if key in value else None
            if found is not None:
                fields[name] = found
        return partial_section(fields)
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _validated_or_none(adapter: TypeAdapter, value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


_adapters: dict[int, tuple[Any, TypeAdapter]] = {}


def _adapter(annotation: Any) -> TypeAdapter:
    """One TypeAdapter per annotation (building one takes milliseconds)."""
    if id(annotation) not in _adapters:
        _adapters[id(annotation)] = (annotation, TypeAdapter(annotation))
    return _adapters[id(annotation)][1]


def _shown(path: Path, project_dir: Path | None) -> str:
    """The file as a problem names it: relative to the project directory when it is inside it
    (each made absolute first, so a relative and an absolute path still compare), else whole."""
    if project_dir is None:
        return path.as_posix()
    absolute, project = Path(os.path.abspath(path)), Path(os.path.abspath(project_dir))
    return (absolute.relative_to(project) if absolute.is_relative_to(project) else path).as_posix()


# Each build reads every lesson twice (mkdocs-macros' define_env, and hooks.py's on_config), and
# `mkdocs serve` every lesson at every rebuild: a text parsed before is not parsed again.
_parsed: dict[tuple[str, str, str], tuple[Lesson, list[str]]] = {}


def load_lesson(path: Path, relative_to: Path | None = None) -> Lesson:
    return _load(path, relative_to)[0]


def lesson_warnings(path: Path, relative_to: Path | None = None) -> list[str]:
    """What is allowed in a valid lesson file but may be a mistake, one
    `file:line: field.path: warning: ...` line each: for now, invisible format characters in
    prose (refused in commands, answers, titles and ids). Raises LessonError, as load_lesson
    does, for a file that is not a valid lesson. A byte order mark at the very start of the
    file is not part of the lesson (YAML reads past it) and is not flagged."""
    return _load(path, relative_to)[1]


def _load(path: Path, relative_to: Path | None) -> tuple[Lesson, list[str]]:
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
        _parsed[key] = _parse(text, source, slug=path.parent.name)
    return _parsed[key]


def load_lessons(docs_dir: Path, project_dir: Path | None = None) -> dict[str, Lesson]:
    """Every lesson under `docs/lessons/*/lesson.yml`, by slug, in title order.

    All files are read before anything is raised, so one run shows every problem in every file.
    """
    lessons: dict[str, Lesson] = {}
    paths: dict[str, Path] = {}
    errors: list[str] = []
    for path in sorted((docs_dir / LESSONS_DIR).glob(f"*/{LESSON_FILE}")):
        try:
            lesson = load_lesson(path, relative_to=project_dir)
        except LessonError as error:
            errors += error.lines
        else:
            lessons[lesson.id], paths[lesson.id] = lesson, path
            if project_dir is not None:
                errors += example_problems(lesson, path, project_dir)
    # Once every lesson is read: `glossary_from` names other lessons.
    for slug, lesson in lessons.items():
        errors += glossary_from_problems(lesson, paths[slug], lessons, project_dir)
    if errors:
        raise LessonError(errors)
    return dict(sorted(lessons.items(), key=lambda item: item[1].title.lower()))


def _top_level_line(path: Path, key: str) -> int:
    """The line of a top-level key: it starts its line, so its first such line is the key's."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, row in enumerate(lines, 1) if row.startswith(f"{key}:")), 1)


def glossary_from_problems(
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


def example_problems(lesson: Lesson, path: Path, project_dir: Path) -> list[str]:
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


# YAML syntax errors, said as the likely cause and its fix. PyYAML names the token it could not
# place ("mapping values are not allowed here"), which is rarely what the author did wrong; these
# read the lines around it for the usual mistakes and say which line to change, and how.

# Every repeat is possessive (`*+`, `++`): it never gives back what it matched to be tried again,
# so a line is read in one pass, however long (a lazy `[^:#]*?` before ` *:` took time that grew
# with the square of a line of spaces: 1 s for 20,000). A key's text is its characters up to
# the `:` less the spaces before it: `(?: *+[^:# ])*+` takes spaces only when a character
# other than `:`, `#` or a space follows them.
_KEY_LINE = re.compile(
    r"""^(?P<indent> *+)(?P<dashes>(?:- ++)*+)"""
    r"""(?P<key>"[^"]*+"|'[^']*+'|[^\s#'"?:\-](?: *+[^:# ])*+|-[^\s:#](?: *+[^:# ])*+) *+:(?: |$)"""
)
_DASH_LINE = re.compile(r"^(?P<indent> *+)-(?: |$)")
_NO_SPACE_KEY = re.compile(r"^ *+(?:- ++)*+(?P<key>[\w-]++):(?P<rest>[^\s:/]\S*+)")
_RESERVED = {
    "`": "a backtick",
    "*": "`*`",
    "&": "`&`",
    "!": "`!`",
    "%": "`%`",
    "@": "`@`",
}
_QUOTE_FIX = 'quote the value ("...") or use a `|` block'


def _explain_syntax(text: str, error: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """The line and message for a syntax error whose likely cause is known, else None."""
    lines = text.split("\n")
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark
    if mark is None or mark.line >= len(lines):
        return None
    row, column = mark.line, mark.column
    line = lines[row]
    if "'\\t'" in problem:
        return row + 1, (
            f"expected spaces to indent, got a tab at column {column + 1} (YAML does not allow "
            "tabs for indentation): indent with spaces"
        )
    if "cannot start any token" in problem or context in (
        "while scanning an alias",
        "while scanning an anchor",
    ):
        at = error.context_mark if context.startswith("while scanning an a") else mark
        char = lines[at.line][at.column : at.column + 1] if at else ""
        if char in _RESERVED:
            return at.line + 1, (
                f"expected a value YAML can read, got text starting with {_RESERVED[char]}, "
                f"which YAML reserves: {_QUOTE_FIX}"
            )
        return None
    if context == "while scanning a quoted scalar" and error.context_mark is not None:
        start = error.context_mark
        quote = lines[start.line][start.column : start.column + 1]
        return start.line + 1, (
            f"expected a closing `{quote}` for the quoted value that starts here, got "
            + ("the end of the file" if "end of stream" in problem else problem)
        )
    if problem == "mapping values are not allowed here":
        return _stray_colon(lines, row, column)
    if context == "while scanning a simple key" and error.context_mark is not None:
        return _missing_space(lines, error.context_mark.line)
    if problem.startswith("expected <block end>, but found"):
        found = _KEY_LINE.match(line)
        if "'<scalar>'" in problem and found:
            value = line[found.end() :].lstrip()
            if value[:1] in ("'", '"', "[", "{"):
                return row + 1, (
                    f"expected nothing after the closing {_closing(value[0])} of the value of "
                    f"`{found.group('key')}`, got more text: {_QUOTE_FIX}"
                )
        if context in ("while parsing a block mapping", "while parsing a block collection"):
            return _misaligned(lines, row, len(line) - len(line.lstrip(" ")))
    return None


def _closing(opening: str) -> str:
    return {"[": "`]`", "{": "`}`", '"': '`"`', "'": "`'`"}[opening]


def _structure_above(lines: list[str], row: int) -> list[tuple[int, int, str]]:
    """(column, line, what) of each line above `row` that opens a level the next line could
    line up with: the nearest first, each further left than the one before."""
    found: list[tuple[int, int, str]] = []
    limit = 1 << 30
    for number in range(row - 1, -1, -1):
        text = lines[number]
        key, dash = _KEY_LINE.match(text), _DASH_LINE.match(text)
        if not (key or dash):
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent >= limit:
            continue
        if key:
            key_column = len(key.group("indent")) + len(key.group("dashes"))
            if key_column < limit:
                found.append((key_column, number + 1, f"`{key.group('key')}:`"))
        if indent < (key_column if key else limit) and text.lstrip(" ").startswith("-"):
            found.append((indent, number + 1, "`-`"))
        limit = indent
        if indent == 0:
            break
    return found


def _misaligned(lines: list[str], row: int, column: int) -> tuple[int, str] | None:
    """A line indented between two levels above it: name both."""
    above = _structure_above(lines, row)
    deeper = [level for level in above if level[0] > column]
    shallower = [level for level in above if level[0] < column]
    options = ([min(deeper)] if deeper else []) + ([max(shallower)] if shallower else [])
    if not options:
        return None
    said = " or ".join(f"{_spaces(c)} (as {what} on line {n})" for c, n, what in options)
    return row + 1, (
        f"expected this line to line up with one above it: {said}, got {_spaces(column)}"
    )


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _missing_space(lines: list[str], row: int) -> tuple[int, str] | None:
    """`key:value`: YAML reads it as text, and the next line as more of that text."""
    no_space = _NO_SPACE_KEY.match(lines[row])
    if not no_space or _KEY_LINE.match(lines[row]):
        return None
    key, rest = no_space.group("key"), no_space.group("rest")
    return row + 1, (
        f"expected a space after `{key}:`, got `{key}:{rest}` (without one, YAML reads the "
        "line as text that runs on into the next)"
    )


def _stray_colon(lines: list[str], row: int, column: int) -> tuple[int, str] | None:
    line = lines[row]
    found = _KEY_LINE.match(line)
    colon = found.end() - (2 if found and found.group(0).endswith(": ") else 1) if found else -1
    if found and column > colon:
        # A second `: ` on the line, inside the value.
        return row + 1, (
            f"expected one value after `{found.group('key')}:`, got another `:` inside it (YAML "
            f"reads `: ` or a `:` at the end of a line as the start of a new key): {_QUOTE_FIX}"
        )
    # The line's own key: YAML read the line as more of the text above it.
    previous = next((n for n in range(row - 1, -1, -1) if lines[n].strip()), None)
    if previous is None:
        return None
    no_space = _missing_space(lines, previous)
    if no_space:
        return no_space
    above = _structure_above(lines, row)
    indent = len(line) - len(line.lstrip(" "))
    if found and above and above[0][0] < indent:
        expected, number, what = above[0]
        return row + 1, (
            f"expected `{found.group('key')}:` indented {_spaces(expected)}, as {what} on line "
            f"{number}, got {_spaces(indent)} (indented further, it continues the text of "
            f"{what}; if that is meant, quote that text or use a `|` block)"
        )
    return None
