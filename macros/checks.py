"""Checks that span fields: each returns problems at the exact path the author must fix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from .models import (
    QUIZ_SECTIONS,
    Lesson,
    MultipleChoice,
    Option,
    Ordering,
    Question,
    Reference,
    ShortAnswer,
    SingleChoice,
)

MIN_TEST_QUESTIONS_PER_DIFFICULTY = 3

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: FieldPath
    message: str
    line: int | None = None  # when known better than the line of `path` (a repeated key)


class _MissingSection(AttributeError):
    """A check needs a section that failed schema validation; its own errors are reported."""


class _Sections:
    """Attribute access to the sections that passed schema validation, for a partial check."""

    def __init__(self, sections: Mapping[str, Any]):
        self._sections = sections

    def __getattr__(self, name: str) -> Any:
        try:
            return self._sections[name]
        except KeyError:
            raise _MissingSection(name) from None


def partial_section(fields: Mapping[str, Any]) -> Any:
    """A section that failed schema validation, as far as it validated: its fields that did (a
    list with None for each item that did not). A check that reads a field it lacks is skipped."""
    return _Sections(fields)


def _ids(items: Callable[[], list[Any]]) -> list[str] | None:
    """The ids of `items()`, or None when they are not all known (the section, or one of its
    items, failed schema validation): a reference to a missing id can then not be told apart
    from one to an id in the broken part, so it is not reported."""
    try:
        found = items()
    except _MissingSection:
        return None
    return None if any(item is None for item in found) else [item.id for item in found]


def _present(items: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """(index, item) of each item that passed schema validation (the others are None)."""
    return ((index, item) for index, item in enumerate(items) if item is not None)


def cross_check(lesson: Lesson | Mapping[str, Any]) -> list[Problem]:
    """Problems across fields. Given a mapping of only the sections that validated (the rest
    had schema errors), it runs every check whose sections are all there: one run reports all."""
    view = lesson if isinstance(lesson, Lesson) else _Sections(lesson)
    problems: list[Problem] = []
    for check in _CHECKS:
        try:
            problems += [Problem(path, message) for path, message in check(view)]
        except _MissingSection:
            continue
    return problems


def _flow_step_ids(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    yield from _unique(("flow", "steps"), [s and s.id for s in lesson.flow.steps], "step id")


def _key_moment_ids(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    yield from _unique(("key_moments",), [m and m.id for m in lesson.key_moments], "key moment id")


def _key_moment_refs(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    for index, moment in _present(lesson.key_moments):
        yield from _refs(lesson, ("key_moments", index, "refs"), moment.refs)


def _questions_of(section: str) -> Callable[[Lesson], Iterator[tuple[FieldPath, str]]]:
    def check(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
        for index, question in _present(getattr(lesson, section)):
            yield from _question(lesson, (section, index), question)

    return check


def _unique(path: FieldPath, ids: list[str | None], what: str) -> Iterator[tuple[FieldPath, str]]:
    seen: dict[str, int] = {}
    for index, value in _present(ids):
        if value in seen:
            yield (
                (*path, index, "id"),
                f"expected a unique {what}, got {value!r} again "
                f"(first at {format_path((*path, seen[value]))})",
            )
        else:
            seen[value] = index


def format_path(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _flow_edges(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    step_ids = _ids(lambda: lesson.flow.steps)
    for index, edge in _present(lesson.flow.edges):
        for key, value in (("from", edge.source), ("to", edge.target)):
            if step_ids is not None and value not in step_ids:
                yield (
                    ("flow", "edges", index, key),
                    f"expected a step id ({_list(step_ids)}), got {value!r}",
                )
        if edge.source == edge.target:
            yield (
                ("flow", "edges", index, "to"),
                f"expected a different step than 'from', got {edge.target!r}",
            )


def _table_numbering(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    for index, row in _present(lesson.process_table.rows):
        if row.step != index + 1:
            yield (
                ("process_table", "rows", index, "step"),
                f"expected step {index + 1} (rows are numbered 1, 2, 3, ... in order), got {row.step}",
            )


def _tracker(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    tracker = lesson.status_tracker
    stage_ids = _ids(lambda: tracker.stages)
    with suppress(_MissingSection):
        yield from _unique(
            ("status_tracker", "stages"), [s and s.id for s in tracker.stages], "stage id"
        )
    variables = tracker.variables
    yield from _unique(
        ("status_tracker", "variables"), [v and v.id for v in variables], "variable id"
    )
    if stage_ids is None:
        return
    for index, variable in _present(variables):
        path = ("status_tracker", "variables", index, "values")
        for stage in stage_ids:
            if stage not in variable.values:
                yield (path, f"expected a value for stage {stage!r}, got none")
        for stage in variable.values:
            if stage not in stage_ids:
                yield ((*path, stage), f"expected a stage id ({_list(stage_ids)}), got {stage!r}")


def _step_mapping(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    """Each process table row must name real flow steps and a tracker stage, in tracker order,
    so the step-through can highlight them."""
    step_ids = _ids(lambda: lesson.flow.steps)
    stage_ids = _ids(lambda: lesson.status_tracker.stages)
    previous: tuple[int, str] | None = None  # tracker position and id of the last row's stage
    for index, row in enumerate(lesson.process_table.rows):
        if row is None:
            previous = None  # a row that failed: its stage is unknown, so the order too
            continue
        path = ("process_table", "rows", index)
        yield from _distinct((*path, "flow_steps"), row.flow_steps, "flow steps")
        for position, step in enumerate(row.flow_steps):
            if step_ids is not None and step not in step_ids:
                yield (
                    (*path, "flow_steps", position),
                    f"expected a flow step id ({_list(step_ids)}), got {step!r}",
                )
        if stage_ids is None:
            continue
        if row.tracker_stage not in stage_ids:
            yield (
                (*path, "tracker_stage"),
                f"expected a status tracker stage ({_list(stage_ids)}), got {row.tracker_stage!r}",
            )
            continue
        position = stage_ids.index(row.tracker_stage)
        if previous is not None and position < previous[0]:
            yield (
                (*path, "tracker_stage"),
                f"expected {previous[1]!r} (the previous row's stage) or a later stage, "
                f"got {row.tracker_stage!r}, which comes before it",
            )
        previous = (position, row.tracker_stage)


def _glossary(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    yield from _unique(("glossary",), [e and e.id for e in lesson.glossary], "glossary id")
    seen: dict[str, str] = {}  # lower-cased spelling -> where it was first given
    for index, entry in _present(lesson.glossary):
        spellings = [(("glossary", index, "term"), entry.term)] + [
            (("glossary", index, "forms", position), form)
            for position, form in enumerate(entry.forms)
        ]
        for path, spelling in spellings:
            key = " ".join(spelling.lower().split())
            if key in seen:
                yield (
                    path,
                    f"expected a spelling no other term or form uses, got {spelling!r} "
                    f"again (first at {seen[key]})",
                )
            else:
                seen[key] = format_path(path)


def _question_ids(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    seen: dict[str, str] = {}
    for section in QUIZ_SECTIONS:
        for index, question in _present(getattr(lesson, section, None) or []):
            where = f"{section}[{index}]"
            if question.id in seen:
                yield (
                    (section, index, "id"),
                    f"expected a question id unique in the lesson, got {question.id!r} again "
                    f"(first at {seen[question.id]})",
                )
            else:
                seen[question.id] = where


def _question(
    lesson: Lesson, path: FieldPath, question: Question
) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(question, SingleChoice):
        yield from _options(path, question.options, [question.answer], "answer")
    elif isinstance(question, MultipleChoice):
        yield from _options(path, question.options, question.answers, "answers")
    elif isinstance(question, Ordering):
        yield from _distinct((*path, "items"), question.items, "items")
    elif isinstance(question, ShortAnswer):
        seen = {normalise_answer(question.answer): "answer"}
        for index, variant in enumerate(question.accepted):
            where = seen.setdefault(normalise_answer(variant), f"accepted[{index}]")
            if where != f"accepted[{index}]":
                yield (
                    (*path, "accepted", index),
                    f"expected a variant that differs from {where} once white space is "
                    f"normalised, got {variant!r}",
                )
    yield from _refs(lesson, (*path, "hint_refs"), question.hint_refs)


def normalise_answer(text: str) -> str:
    """How a typed answer is compared (quiz.js does the same): runs of white space are one."""
    return " ".join(text.split())


def _distinct(path: FieldPath, texts: list[str], what: str) -> Iterator[tuple[FieldPath, str]]:
    for index, text in enumerate(texts):
        if texts.index(text) != index:
            yield ((*path, index), f"expected distinct {what}, got {text!r} again")


def _options(
    path: FieldPath, options: list[Option], answers: list[str], key: str
) -> Iterator[tuple[FieldPath, str]]:
    texts = [option.text for option in options]
    yield from (
        (p[:-1] + (p[-1], "text"), m) for p, m in _distinct((*path, "options"), texts, "options")
    )
    single = key == "answer"
    if not single:
        yield from _distinct((*path, key), answers, "answers")
    unknown = [(index, answer) for index, answer in enumerate(answers) if answer not in texts]
    for index, answer in unknown:
        where = (*path, key) if single else (*path, key, index)
        yield (where, f"expected one of the options ({_list(texts)}), got {answer!r}")
    if unknown:
        return  # which options are wrong is unclear until every answer names an option
    if not single and len(set(answers)) == len(texts):
        yield ((*path, key), "expected at least one wrong option, got every option as an answer")
    for index, option in enumerate(options):
        if option.text in answers and option.why_wrong is not None:
            yield (
                (*path, "options", index, "why_wrong"),
                "expected no why_wrong on a correct option, got one",
            )
        if option.text not in answers and option.why_wrong is None:
            yield (
                (*path, "options", index),
                "expected a why_wrong line explaining this wrong option, got none",
            )


def _refs(
    lesson: Lesson, path: tuple, refs: Iterable[Reference]
) -> Iterator[tuple[FieldPath, str]]:
    # Each kind of reference is checked when its targets are all known (their section, or an
    # item of it, may have failed schema validation: that is reported on its own).
    try:
        rows: int | None = len(lesson.process_table.rows)
    except _MissingSection:
        rows = None
    variables = _ids(lambda: lesson.status_tracker.variables)
    stages = _ids(lambda: lesson.status_tracker.stages)
    moments = _ids(lambda: lesson.key_moments)
    steps = _ids(lambda: lesson.flow.steps)
    limits = _ids(lambda: lesson.limits.rows)
    for index, ref in enumerate(refs):
        at = (*path, index)
        if ref.table_row is not None and rows is not None and not 1 <= ref.table_row <= rows:
            yield (
                (*at, "table_row"),
                f"expected a process table step from 1 to {rows}, got {ref.table_row}",
            )
        if ref.tracker_cell is not None:
            if variables is not None and ref.tracker_cell.variable not in variables:
                yield (
                    (*at, "tracker_cell", "variable"),
                    f"expected a status tracker variable ({_list(variables)}), got {ref.tracker_cell.variable!r}",
                )
            if stages is not None and ref.tracker_cell.stage not in stages:
                yield (
                    (*at, "tracker_cell", "stage"),
                    f"expected a status tracker stage ({_list(stages)}), got {ref.tracker_cell.stage!r}",
                )
        if ref.key_moment is not None and moments is not None and ref.key_moment not in moments:
            yield (
                (*at, "key_moment"),
                f"expected a key moment id ({_list(moments)}), got {ref.key_moment!r}",
            )
        if ref.flow_step is not None and steps is not None and ref.flow_step not in steps:
            yield (
                (*at, "flow_step"),
                f"expected a flow step id ({_list(steps)}), got {ref.flow_step!r}",
            )
        if ref.limit is not None and limits is not None and ref.limit not in limits:
            yield (
                (*at, "limit"),
                f"expected a limits row id ({_list(limits)}), got {ref.limit!r}",
            )


def _limit_ids(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    yield from _unique(
        ("limits", "rows"), [r and r.id for r in lesson.limits.rows], "limits row id"
    )


def _test_bank_spread(lesson: Lesson) -> Iterator[tuple[FieldPath, str]]:
    if any(question is None for question in lesson.test_bank):
        return  # a question that failed validation may be the one of the missing difficulty
    counts = Counter(question.difficulty for question in lesson.test_bank)
    for difficulty in ("easy", "medium", "hard"):
        if counts[difficulty] < MIN_TEST_QUESTIONS_PER_DIFFICULTY:
            yield (
                ("test_bank",),
                f"expected at least {MIN_TEST_QUESTIONS_PER_DIFFICULTY} {difficulty} questions, "
                f"got {counts[difficulty]}",
            )


def _list(values: Iterable[str]) -> str:
    return ", ".join(repr(v) for v in values)


_CHECKS: list[Callable[[Lesson], Iterator[tuple[FieldPath, str]]]] = [
    _flow_step_ids,
    _flow_edges,
    _table_numbering,
    _tracker,
    _step_mapping,
    _glossary,
    _key_moment_ids,
    _limit_ids,
    _question_ids,
    _key_moment_refs,
    *(_questions_of(section) for section in QUIZ_SECTIONS),
    _test_bank_spread,
]
