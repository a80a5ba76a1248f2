"""Read lesson files and return validated models, or one error that lists every problem.

Each problem reads `file:line: field.path: expected ..., got ...`. The line comes from the YAML
node the problem is about; a missing field is reported at the mapping that should hold it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from .checks import FieldPath, Problem, cross_check, format_path
from .models import QUESTION_TYPES, Lesson

LESSONS_DIR = "lessons"
LESSON_FILE = "lesson.yml"


class LessonError(Exception):
    """Every problem found in one or more lesson files, one per line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
        super().__init__(f"Invalid lesson data ({count}):\n" + "\n".join(lines))


def describe(value: Any) -> str:
    """A short, readable rendering of a value the author wrote."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; quote it to make it text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown) if value else "empty text"
    return repr(value)


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


def _pydantic_problem(error: dict[str, Any]) -> Problem:
    path = _author_path(error["loc"])
    kind = error["type"]
    got = error.get("input")
    ctx = error.get("ctx", {})
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
    if kind == "too_short":
        return Problem(
            path,
            f"expected at least {_items(ctx.get('min_length'))}, got {ctx.get('actual_length')}",
        )
    if kind == "too_long":
        return Problem(
            path,
            f"expected at most {_items(ctx.get('max_length'))}, got {ctx.get('actual_length')}",
        )
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
    # "ordering", "items"); the author never wrote it, so it is not part of the field path.
    path: list[str | int] = []
    for part in loc:
        if part in QUESTION_TYPES and path and isinstance(path[-1], int):
            continue
        path.append(part)
    return tuple(path)


def _report(source: str, lines: _LineMap, problems: list[Problem]) -> list[str]:
    def line(problem: Problem) -> int:
        return problem.line or lines.line_of(problem.path)

    ordered = sorted(problems, key=lambda p: (line(p), format_path(p.path)))
    return [f"{source}:{line(p)}: {format_path(p.path)}: {p.message}" for p in ordered]


def parse_lesson(text: str, source: str, slug: str | None = None) -> Lesson:
    """Validate the text of one lesson file. `source` names the file in messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)
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


def load_lesson(path: Path, relative_to: Path | None = None) -> Lesson:
    source = path.relative_to(relative_to).as_posix() if relative_to else path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LessonError(
            [f"{source}:1: (file): expected UTF-8 text, got {error.reason}"]
        ) from None
    return parse_lesson(text, source, slug=path.parent.name)


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
    if errors:
        raise LessonError(errors)
    return dict(sorted(lessons.items(), key=lambda item: item[1].title.lower()))
