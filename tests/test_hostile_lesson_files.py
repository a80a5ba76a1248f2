"""Lesson data is never code: a hostile lesson file is one normal error line, never a traceback,
a hang or a huge page.

Each case takes a real lesson (every lesson in turn), puts the hostile bit at a line found from
the file's own structure, and expects exactly `file:line: field.path: expected ..., got ...` at
that line.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import os
import subprocess
import sys
import threading
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel

from macros.field_reference import field_reference
from macros.loader import MAX_DEPTH, MAX_FILE_BYTES, LessonError, load_lesson, parse_lesson
from macros.models import QUESTION_TYPES, QUIZ_SECTIONS, Lesson
from tests.conftest import LESSON_SLUGS, ROOT


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's strings are YAML's)."""
    return json.dumps(text)


def shown(text: str) -> str:
    """Text as a problem quotes it: cut to 60 characters."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


@dataclass(frozen=True)
class Host:
    """A real lesson file, and where its parts are: the cases below write into it by structure
    (the line of a key, the end of a list), never by its wording, so they hold for any lesson."""

    slug: str

    @property
    def source(self) -> str:
        return f"docs/lessons/{self.slug}/lesson.yml"

    @functools.cached_property
    def text(self) -> str:
        return (ROOT / self.source).read_text(encoding="utf-8")

    @functools.cached_property
    def data(self) -> dict:
        return yaml.safe_load(self.text)

    @functools.cached_property
    def _tree(self) -> yaml.Node:
        return yaml.compose(self.text)

    def _find(self, path: tuple) -> tuple[yaml.Node | None, yaml.Node]:
        """The key node (None for a list item) and the value node at `path`."""
        key, node = None, self._tree
        for part in path:
            if isinstance(part, int):
                key, node = None, node.value[part]
            else:
                key, node = next((k, v) for k, v in node.value if k.value == part)
        return key, node

    def key_line(self, *path) -> int:
        """The line of the key at `path` (of the item, for a list item)."""
        key, node = self._find(path)
        return (key or node).start_mark.line + 1

    def insert_after_key(self, path: tuple, lines: str) -> str:
        """The file with `lines` (each indented as the key at `path` is) after that key's line."""
        key, node = self._find(path)
        mark = (key or node).start_mark
        indented = "".join(" " * mark.column + line + "\n" for line in lines.splitlines())
        rows = self.text.splitlines(keepends=True)
        return "".join(rows[: mark.line + 1]) + indented + "".join(rows[mark.line + 1 :])

    def with_written(self, path: tuple, written: str) -> str:
        """The file with the value at `path` written as `written` (YAML, one line)."""
        _, node = self._find(path)
        start, end = node.start_mark.index, node.end_mark.index
        block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        return self.text[:start] + written + ("\n" if block else "") + self.text[end:]

    def prefixed(self, path: tuple, prefix: str) -> str:
        """The file with `prefix` written just before the value at `path`."""
        _, node = self._find(path)
        return self.text[: node.start_mark.index] + prefix + self.text[node.start_mark.index :]

    def appended_to_list(self, path: tuple, items: str) -> tuple[str, int]:
        """The file with `items` (YAML lines, indented as the list's own items) at the end of
        the block list at `path`, and the line the first of them lands on."""
        _, node = self._find(path)
        column = node.value[0].start_mark.column - 2  # the items' dash
        last = node.value[-1].end_mark
        rows = self.text.splitlines(keepends=True)
        # The end mark is where the next token starts: on a later line, after indentation only,
        # when the item is a block; on the item's own last line otherwise.
        line_start = last.index - last.column
        at = last.line if not self.text[line_start : last.index].strip() else last.line + 1
        indented = "".join(" " * column + line + "\n" for line in items.splitlines())
        return "".join(rows[:at]) + indented + "".join(rows[at:]), at + 1

    def index_of(self, section: str, predicate) -> int:
        found = [i for i, item in enumerate(self.data[section]) if predicate(item)]
        if not found:
            pytest.fail(f"{self.slug}: no item of {section} fits this case")
        return found[0]

    def quiz_path(self, section: str, index: int) -> str:
        """`practice[3] (pr-dockerfile-run)`: a question's position and its id."""
        return f"{section}[{index}] ({self.data[section][index]['id']})"

    def problems_in(self, text: str, slug: str | None = "") -> list[str]:
        with pytest.raises(LessonError) as caught:
            parse_lesson(text, self.source, slug=self.slug if slug == "" else slug)
        return caught.value.lines

    def report(self, line: int, path: str, message: str) -> list[str]:
        return [f"{self.source}:{line}: {path}: {message}"]

    def after_minutes(self, lines: str) -> tuple[str, int]:
        """The file with `lines` after its `minutes:` line, and the line they start at."""
        return self.insert_after_key(("minutes",), lines), self.key_line("minutes") + 1


HOSTS = {slug: Host(slug) for slug in LESSON_SLUGS}


@pytest.fixture(params=LESSON_SLUGS)
def host(request) -> Host:
    return HOSTS[request.param]


def line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, f"{marker!r} is not unique"
    return text[: text.index(marker)].count("\n") + 1


def test_the_real_lesson_still_loads(host):
    assert parse_lesson(host.text, host.source, slug=host.slug).id == host.slug


# YAML features that are not plain data

ALIASES = "(anchors and aliases are not allowed in lesson files)"
BILLION_LAUGHS = (
    'lol0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"lol{level}: &{chr(97 + level)} [{', '.join([f'*{chr(96 + level)}'] * 9)}]\n"
        for level in range(1, 9)
    )
)


def test_an_alias_bomb_is_rejected_at_its_first_anchor_without_expanding(host):
    # Nine levels of nine aliases: 9**9 strings once expanded. A hang fails the test (timeout)
    # rather than blocking the suite.
    script = (
        "import json, sys\n"
        "from macros.loader import LessonError, parse_lesson\n"
        "try:\n"
        f"    parse_lesson(sys.stdin.read(), {host.source!r}, slug={host.slug!r})\n"
        "except LessonError as error:\n"
        "    print(json.dumps(error.lines))\n"
    )
    text, line = host.after_minutes(BILLION_LAUGHS)
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=text,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.stderr == ""
    assert json.loads(result.stdout) == host.report(
        line, "(YAML)", f"expected plain values, got an anchor `&a` {ALIASES}"
    )


def test_yaml_aliases_are_rejected_at_their_line(host):
    text = host.with_written(("difficulty",), "*level")
    assert host.problems_in(text) == host.report(
        host.key_line("difficulty"),
        "(YAML)",
        f"expected plain values, got an alias `*level` {ALIASES}",
    )


def test_an_anchor_is_rejected_even_when_nothing_refers_to_it(host):
    text = host.prefixed(("title",), "&anchor ")
    assert host.problems_in(text) == host.report(
        host.key_line("title"),
        "(YAML)",
        f"expected plain values, got an anchor `&anchor` {ALIASES}",
    )


def test_an_anchor_on_a_nested_mapping_is_rejected_at_its_line(host):
    path = ("flow", "steps", 0, "label")
    text = host.insert_after_key(path, "extra: &row {}")
    assert host.problems_in(text) == host.report(
        host.key_line(*path) + 1, "(YAML)", f"expected plain values, got an anchor `&row` {ALIASES}"
    )


def test_a_python_object_tag_is_rejected_before_anything_is_constructed(host):
    text, line = host.after_minutes("run: !!python/object/apply:os.system [echo hacked]\n")
    assert host.problems_in(text) == host.report(
        line,
        "(YAML)",
        "expected plain values, got a tag `!!python/object/apply:os.system` "
        "(tags are not allowed in lesson files; quote text instead)",
    )


def test_a_type_tag_on_a_value_is_rejected_rather_than_obeyed(host):
    text = host.prefixed(("minutes",), "!!str ")
    assert host.problems_in(text) == host.report(
        host.key_line("minutes"),
        "(YAML)",
        "expected plain values, got a tag `!!str` (tags are not allowed in lesson files; "
        "quote text instead)",
    )


def test_a_merge_key_is_an_unknown_key_not_a_merge(host):
    text, line = host.after_minutes("<<: {title: Merged in}\n")
    assert host.problems_in(text) == host.report(
        line, "<<", "expected a known field, got unknown key '<<'"
    )


def test_a_list_used_as_a_key_is_reported_at_its_line(host):
    text, line = host.after_minutes("? [a, b]\n: x\n")
    assert host.problems_in(text) == host.report(
        line, "(YAML)", "expected text keys (field names and ids), got a list as a key"
    )


# Nesting

NESTING = "expected at most 50 levels of nested lists and mappings, got level 51"


def test_three_thousand_nested_lists_are_reported_at_their_line_not_as_a_recursion_error(host):
    text, line = host.after_minutes("deep: " + "[" * 3000 + "\n")
    assert host.problems_in(text) == host.report(line, "(YAML)", NESTING)


def test_three_thousand_nested_mappings_are_reported_at_their_line(host):
    text, line = host.after_minutes("deep: " + "{a: " * 3000 + "\n")
    assert host.problems_in(text) == host.report(line, "(YAML)", NESTING)


def test_deep_block_nesting_is_reported_at_the_line_where_the_limit_is_crossed(host):
    # `deep:` holds level 2 (the lesson itself is level 1); the i-th `k:` line starts level
    # i + 2, so the 49th `k:` line starts level 51.
    nested = "deep:\n  k0:\n" + "".join(f"{'  ' * (i + 2)}k{i + 1}:\n" for i in range(60))
    text, _ = host.after_minutes(nested + " " * 124 + "end: 1\n")
    assert host.problems_in(text) == host.report(line_of(text, " k49:"), "(YAML)", NESTING)


def test_nesting_up_to_the_limit_is_allowed_by_the_yaml_reading(host):
    # The lesson mapping and 49 lists: 50 levels, the most allowed.
    assert MAX_DEPTH == 50
    text, line = host.after_minutes("deep: " + "[" * 49 + "1" + "]" * 49 + "\n")
    assert host.problems_in(text) == host.report(
        line, "deep", "expected a known field, got unknown key 'deep'"
    )


# Characters and bytes


@pytest.mark.parametrize(
    ("character", "name"),
    [("\0", "U+0000"), ("\a", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F")],
    ids=["a NUL byte", "a BEL byte", "an escape byte", "a DEL byte"],
)
def test_a_control_byte_in_the_file_is_reported_at_its_line(host, character, name):
    text, line = host.after_minutes(f"note: a{character} b\n")
    assert host.problems_in(text) == host.report(
        line, "(file)", f"expected printable text, got a control character {name}"
    )


def test_a_non_printable_character_in_the_file_is_reported_at_its_line(host):
    path = ("process_table", "rows", 1, "step")
    text = host.insert_after_key(path, "note: \ufffe")
    assert host.problems_in(text) == host.report(
        host.key_line(*path) + 1,
        "(file)",
        "expected printable text, got a non-printable character U+FFFE",
    )


def lesson_file(tmp_path: Path, host: Host, content: bytes) -> Path:
    path = tmp_path / host.source
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return path


def test_invalid_utf8_on_line_300_is_reported_at_line_300(tmp_path, host):
    lines = host.text.encode("utf-8").split(b"\n")
    assert len(lines) > 300
    lines[299] = b"\xff" + lines[299]  # a line's first byte is never inside a character
    path = lesson_file(tmp_path, host, b"\n".join(lines))
    with pytest.raises(LessonError) as caught:
        load_lesson(path, relative_to=tmp_path)
    assert caught.value.lines == host.report(
        300, "(file)", "expected UTF-8 text, got invalid start byte"
    )


def test_a_file_over_one_megabyte_is_rejected_before_it_is_read_whole(tmp_path, host):
    padding = b"# padding\n" * 100_000  # 1,000,000 bytes of comments
    path = lesson_file(tmp_path, host, host.text.encode("utf-8") + padding)
    size = len(host.text.encode("utf-8")) + len(padding)
    with pytest.raises(LessonError) as caught:
        load_lesson(path, relative_to=tmp_path)
    assert caught.value.lines == host.report(
        1, "(file)", f"expected at most {MAX_FILE_BYTES} bytes, got {size} bytes"
    )


def test_a_lesson_file_that_is_a_symbolic_link_is_not_followed(tmp_path, host):
    outside = tmp_path / "outside.yml"
    outside.write_text("secret: value\n", encoding="utf-8")
    path = tmp_path / host.source
    path.parent.mkdir(parents=True)
    path.symlink_to(outside)
    with pytest.raises(LessonError) as caught:
        load_lesson(path, relative_to=tmp_path)
    assert caught.value.lines == host.report(
        1, "(file)", "expected a regular file, got a symbolic link"
    )


def test_a_lesson_file_that_is_a_pipe_is_reported_without_waiting_for_it(tmp_path, host):
    path = tmp_path / host.source
    path.parent.mkdir(parents=True)
    os.mkfifo(path)

    def unblock() -> None:  # should the loader open the pipe, end its wait: fail, not hang
        with contextlib.suppress(OSError):  # nobody is reading, as it should be
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(5, unblock)
    timer.start()
    try:
        with pytest.raises(LessonError) as caught:
            load_lesson(path, relative_to=tmp_path)
    finally:
        timer.cancel()
    assert caught.value.lines == host.report(
        1, "(file)", "expected a regular file, got something that is not a file"
    )


def test_lesson_text_over_the_size_limit_is_rejected_before_parsing(host):
    text = host.prefixed(("title",), "x" * 5_000_000)
    assert host.problems_in(text) == host.report(
        1, "(file)", f"expected at most {MAX_FILE_BYTES} characters, got {len(text)}"
    )


# Values YAML resolves to something it then cannot build


def test_a_date_that_does_not_exist_is_reported_at_its_line(host):
    text = host.with_written(("minutes",), "2024-13-45")
    assert host.problems_in(text) == host.report(
        host.key_line("minutes"),
        "(YAML)",
        "expected a value YAML can read, got '2024-13-45' (month must be in 1..12); "
        "quote it to make it text",
    )


def test_a_number_too_long_to_convert_is_reported_at_its_line(host):
    text = host.with_written(("minutes",), "1" * 5000)
    assert host.problems_in(text) == host.report(
        host.key_line("minutes"),
        "(YAML)",
        "expected a value YAML can read, got '" + "1" * 57 + "...' (Exceeds the limit "
        "(4300 digits) for integer string conversion: value has 5000 digits); quote it to make "
        "it text",
    )


def test_a_huge_hexadecimal_number_is_described_not_printed(host):
    text = host.with_written(("process_table", "rows", 1, "step"), "0x" + "f" * 5000)
    assert host.problems_in(text) == host.report(
        line_of(text, "0xfff"),
        "process_table.rows[1].step",
        "expected a number <= 1000, got a whole number of about 6020 digits",
    )


# Keys YAML would read as something other than text


def test_an_integer_key_is_reported_at_its_own_line(host):
    text, line = host.after_minutes("8: x\n")
    assert host.problems_in(text) == host.report(
        line, "8", "expected a known field, got unknown key '8'"
    )


def test_a_yes_key_is_the_text_written_not_true(host):
    text = host.insert_after_key(("category", "topic"), "yes: x")
    assert host.problems_in(text) == host.report(
        host.key_line("category", "topic") + 1,
        "category.yes",
        "expected a known field, got unknown key 'yes'",
    )


def first_tracker_value(host: Host) -> tuple:
    """The path of the first stage's value of the tracker's first variable."""
    values = host.data["status_tracker"]["variables"][0]["values"]
    return ("status_tracker", "variables", 0, "values", next(iter(values)))


def test_a_number_as_a_tracker_stage_key_is_reported_as_an_unknown_stage(host):
    path = first_tracker_value(host)
    text = host.insert_after_key(path, "3: x")
    stages = [stage["id"] for stage in host.data["status_tracker"]["stages"]]
    assert host.problems_in(text) == host.report(
        host.key_line(*path) + 1,
        "status_tracker.variables[0].values.3",
        f"expected a stage id ({', '.join(map(repr, stages))}), got '3'",
    )


def test_a_badly_written_tracker_stage_key_is_reported_at_the_key(host):
    path = first_tracker_value(host)
    text = host.insert_after_key(path, "Bad Key: x")
    assert host.problems_in(text) == host.report(
        host.key_line(*path) + 1,
        "status_tracker.variables[0].values.Bad Key",
        "expected a kebab-case id (like 'run-anywhere'), got 'Bad Key'",
    )


# Questions that are not questions


@pytest.mark.parametrize(
    ("item", "got"),
    [
        ("-", "nothing"),
        ("- Which step builds the image?", "'Which step builds the image?'"),
        ("- 42", "42"),
        ("- [a, b]", "a list of 2 items"),
    ],
    ids=["a stray dash", "a question that is text", "a question that is a number", "a list"],
)
def test_a_question_that_is_not_a_mapping_is_reported_at_its_item(host, item, got):
    text, line = host.appended_to_list(("visual_quiz",), item)
    assert host.problems_in(text) == host.report(
        line,
        f"visual_quiz[{len(host.data['visual_quiz'])}]",
        f"expected a question (a mapping of fields), got {got}",
    )


@pytest.mark.parametrize(
    ("kind", "got"),
    [("[single-choice]", "a list of 1 item"), ("{a: b}", "a mapping"), ("7", "7")],
    ids=["a list", "a mapping", "a number"],
)
def test_a_question_type_that_is_not_text_is_reported_at_the_type(host, kind, got):
    index = host.index_of("practice", lambda q: "type" in q)
    text = host.with_written(("practice", index, "type"), kind)
    assert host.problems_in(text) == host.report(
        host.key_line("practice", index, "type"),
        host.quiz_path("practice", index) + ".type",
        f"expected 'single-choice', 'multiple-choice', 'ordering' or 'short-answer', got {got}",
    )


# Sizes


def _longer_cases(host: Host) -> dict[str, tuple[tuple, str, str, int, int]]:
    """For each case: the field's path, the hostile value, the path as a problem shows it, the
    field's limit, and the hostile value's length."""
    data = host.data
    title = data["title"]
    label = data["flow"]["steps"][0]["label"]
    command = data["execution_sample"]["commands"][0]["command"]
    prompt = data["practice"][0]["prompt"]
    formed = host.index_of("glossary", lambda entry: entry.get("forms"))
    return {
        "a 5000 character title": (
            ("title",),
            "x" * (5000 - len(title)) + title,
            "title",
            120,
            5000,
        ),
        "a long id": (("flow", "steps", 0, "id"), "a" * 65, "flow.steps[0].id", 64, 65),
        "a long flow step label": (
            ("flow", "steps", 0, "label"),
            "x" * 200 + label,
            "flow.steps[0].label",
            200,
            200 + len(label),
        ),
        "a long command": (
            ("execution_sample", "commands", 0, "command"),
            "x" * 500 + command,
            "execution_sample.commands[0].command",
            500,
            500 + len(command),
        ),
        "a long prompt": (
            ("practice", 0, "prompt"),
            "x" * 2000 + prompt,
            host.quiz_path("practice", 0) + ".prompt",
            2000,
            2000 + len(prompt),
        ),
        "a long transcript": (("transcript",), "x" * 20_001, "transcript", 20_000, 20_001),
        "a long glossary form": (
            ("glossary", formed, "forms", 0),
            "x" * 201,
            f"glossary[{formed}].forms[0]",
            200,
            201,
        ),
    }


LONGER = list(_longer_cases(HOSTS[LESSON_SLUGS[0]]))


@pytest.mark.parametrize("case", LONGER)
def test_text_longer_than_its_limit_is_reported_with_the_limit(host, case):
    path, value, shown_path, limit, length = _longer_cases(host)[case]
    text = host.with_written(path, quoted(value))
    assert host.problems_in(text) == host.report(
        line_of(text, quoted(value)),
        shown_path,
        f"expected at most {limit} characters, got {length}",
    )


def with_code(host: Host, field: str, value: str) -> tuple[str, str]:
    """The file with a question's code listing's `field` set to `value`, and the question's
    path. A lesson without a code listing gets one, on its first practice question."""
    found = [
        (section, index)
        for section in QUIZ_SECTIONS
        for index, question in enumerate(host.data[section])
        if "code" in question
    ]
    if found:
        section, index = found[0]
        text = host.with_written((section, index, "code", field), quoted(value))
        return text, host.quiz_path(section, index)
    code = {"language": "text", "source": "x", field: value}
    written = ", ".join(f"{key}: {quoted(text)}" for key, text in code.items())
    text = host.insert_after_key(("practice", 0, "id"), f"code: {{{written}}}")
    return text, host.quiz_path("practice", 0)


@pytest.mark.parametrize(
    ("field", "limit", "length"), [("language", 200, 300), ("source", 5000, 5001)]
)
def test_a_code_listing_longer_than_its_limit_is_reported_with_the_limit(
    host, field, limit, length
):
    text, question = with_code(host, field, "x" * length)
    assert host.problems_in(text) == host.report(
        line_of(text, quoted("x" * length)),
        f"{question}.code.{field}",
        f"expected at most {limit} characters, got {length}",
    )


def test_more_than_fifty_questions_in_a_section_are_reported_at_the_section(host):
    question = (
        "- id: extra-{}\n  type: short-answer\n  difficulty: easy\n  prompt: Build it.\n"
        "  answer: make build\n  explanation: Build.\n  hint: Run it.\n"
    )
    extra = 51 - len(host.data["test_bank"])
    text, _ = host.appended_to_list(("test_bank",), "".join(map(question.format, range(extra))))
    assert host.problems_in(text) == host.report(
        host.key_line("test_bank"), "test_bank", "expected at most 50 items, got 51"
    )


def test_more_than_thirty_flow_steps_are_reported_at_the_steps(host):
    extra = 31 - len(host.data["flow"]["steps"])
    steps = "".join(f"- id: step-{index}\n  label: Step {index}\n" for index in range(extra))
    text, _ = host.appended_to_list(("flow", "steps"), steps)
    assert host.problems_in(text) == host.report(
        host.key_line("flow", "steps"), "flow.steps", "expected at most 30 items, got 31"
    )


def test_a_tracker_with_values_for_too_many_stages_is_reported_with_the_count(host):
    path = first_tracker_value(host)
    extra = 21 - len(host.data["status_tracker"]["variables"][0]["values"])
    text = host.insert_after_key(path, "".join(f"stage-{index}: x\n" for index in range(extra)))
    assert host.problems_in(text) == host.report(
        host.key_line(*path[:-1]),
        "status_tracker.variables[0].values",
        "expected at most 20 items, got 21",
    )


# Plain-text rules

LABEL_RULE = "expected plain text for a diagram label (no `%%`, `<`, `>`, backticks or line breaks)"


@pytest.mark.parametrize(
    ("label", "got"),
    [
        ('"a %% comment"', "'a %% comment'"),
        ('"<img src=x onerror=alert(1)>"', "'<img src=x onerror=alert(1)>'"),
        ('"a --> b"', "'a --> b'"),
        ('"`code`"', "'`code`'"),
        ('"two\\nlines"', "'two\\nlines'"),
    ],
    ids=["a Mermaid comment", "an HTML tag", "an arrow", "backticks", "a line break"],
)
def test_a_flow_step_label_must_be_plain_diagram_text(host, label, got):
    text = host.with_written(("flow", "steps", 0, "label"), label)
    assert host.problems_in(text) == host.report(
        line_of(text, f"label: {label}"), "flow.steps[0].label", f"{LABEL_RULE}, got {got}"
    )


def test_a_flow_edge_label_must_be_plain_diagram_text(host):
    edge = host.data["flow"]["edges"][0]
    written = f'{{from: {edge["from"]}, to: {edge["to"]}, label: "x --> y"}}'
    text = host.with_written(("flow", "edges", 0), written)
    assert host.problems_in(text) == host.report(
        line_of(text, "x --> y"), "flow.edges[0].label", f"{LABEL_RULE}, got 'x --> y'"
    )


def test_a_flow_label_may_contain_quotes_and_ampersands(host):
    text = host.with_written(("flow", "steps", 0, "label"), "'Develop \"ML\" model & co'")
    lesson = parse_lesson(text, host.source, slug=host.slug)
    assert lesson.flow.steps[0].label == 'Develop "ML" model & co'


def test_a_title_must_be_one_line(host):
    first, rest = host.data["title"].split(" ", 1)
    title = f"{first}\n{rest}"
    text = host.with_written(("title",), quoted(title))
    assert host.problems_in(text) == host.report(
        host.key_line("title"),
        "title",
        f"expected one line of text, got a line break in {shown(title)}",
    )


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            '"make build\\nrm -rf /"',
            "expected one line of text, got a line break in 'make build\\nrm -rf /'",
        ),
        (
            '"make build\\rrm -rf /"',
            "expected one line of text, got a line break in 'make build\\rrm -rf /'",
        ),
        (
            "make build ```",
            "expected a command without three backticks (```), got 'make build ```'",
        ),
    ],
    ids=["a line break", "a carriage return", "three backticks"],
)
def test_a_command_must_be_one_line_without_a_fence(host, command, message):
    text = host.with_written(("execution_sample", "commands", 0, "command"), command)
    assert host.problems_in(text) == host.report(
        line_of(text, f"command: {command}"), "execution_sample.commands[0].command", message
    )


SNIPPET = "expected text without a snippet marker (`--8<--`)"


@pytest.mark.parametrize(
    ("marker", "got"),
    [('--8<-- "/etc/passwd"', "'--8<--'"), ("-8<-", "'-8<-'"), ("----8<----", "'----8<----'")],
    ids=["the usual marker", "the shortest marker", "a long marker"],
)
def test_a_snippet_marker_in_the_transcript_is_rejected(host, marker, got):
    transcript = marker + "\n" + host.data["transcript"]
    text = host.with_written(("transcript",), quoted(transcript))
    assert host.problems_in(text) == host.report(
        host.key_line("transcript"), "transcript", f"{SNIPPET}, got {got} in {shown(transcript)}"
    )


def test_a_mermaid_directive_in_a_caption_is_rejected(host):
    caption = "%%{init: {}}%% " + host.data["flow"]["caption"]
    text = host.with_written(("flow", "caption"), quoted(caption))
    assert host.problems_in(text) == host.report(
        host.key_line("flow", "caption"),
        "flow.caption",
        f"expected text without a Mermaid directive (`%%{{`), got {shown(caption)}",
    )


@pytest.mark.parametrize(
    ("escape", "name", "shown"),
    [
        ("\\0", "a control character U+0000", "\\x00"),
        ("\\a", "a control character U+0007", "\\x07"),
        ("\\e[31m", "a control character U+001B", "\\x1b[31m"),
        ("\\x9b", "a control character U+009B", "\\x9b"),
    ],
    ids=[
        "a NUL escape",
        "a BEL escape",
        "a terminal colour escape",
        "a C1 control escape",
    ],
)
def test_a_control_character_written_as_an_escape_is_rejected_at_its_field(
    host, escape, name, shown
):
    text = host.with_written(("process_table", "rows", 0, "result"), f'"Image{escape}"')
    assert host.problems_in(text) == host.report(
        line_of(text, f"Image{escape}"),
        "process_table.rows[0].result",
        "expected text without control characters (other than tab and line break), "
        f"got {name} in 'Image{shown}'",
    )


def test_a_lone_surrogate_written_as_an_escape_is_rejected_at_its_field(host):
    text = host.with_written(("process_table", "rows", 0, "result"), '"Image\\ud800"')
    assert host.problems_in(text) == host.report(
        line_of(text, "Image\\ud800"),
        "process_table.rows[0].result",
        "expected valid Unicode text, got a lone surrogate U+D800 in 'Image\\ud800'",
    )


def test_the_field_reference_states_each_text_limit_and_rule():
    reference = field_reference(Lesson)
    for row in [
        "| `title` | text (at most 120 characters, one line) | yes |",
        "| `label` | text (at most 200 characters, one line, no `%%`, `<`, `>` or backticks) | yes |",
        "| `command` | text (at most 500 characters, one line, no three backticks) | yes |",
        "| `transcript` | text (at most 20000 characters) | yes |",
        "| `source` | text (at most 5000 characters) | yes |",
        "| `forms` | list of text (at most 10; each at most 200 characters) | no |",
        "| `values` | mapping of id (kebab-case) to text (at most 20; each at most 200 characters) "
        "| yes |",
        "| `test_bank` | list of [SingleChoice](#schema-singlechoice) or "
        "[MultipleChoice](#schema-multiplechoice) or [Ordering](#schema-ordering) or "
        "[ShortAnswer](#schema-shortanswer) (at least 10, at most 50) | yes |",
    ]:
        assert row in reference


# Every string field of the schema, one by one


def _shape(annotation: Any) -> tuple[str, Any]:
    """What an annotation holds: ("text" | "id" | "choice", None), ("list" | "dict", item
    annotation) or ("models", [model, ...])."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        if args[0] is str:
            return ("id" if any(getattr(m, "pattern", None) for m in args[1:]) else "text"), None
        return _shape(args[0])
    if origin in (typing.Union, types.UnionType):
        options = [_shape(arg) for arg in args if arg is not type(None)]
        if len(options) == 1:
            return options[0]
        return "models", [model for _, models in options for model in models]  # a question
    if origin is Literal:
        return "choice", None
    if origin is list:
        return "list", args[0]
    if origin is dict:
        return "dict", args[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "models", [annotation]
    assert annotation is int, annotation  # a step number: not text
    return "number", None


def _fields(model: type[BaseModel]) -> list[tuple[str, str, Any]]:
    """(name in the file, `Model.field` named after the model that declares it, annotation)."""
    found = []
    for name, info in model.model_fields.items():
        owner = next(c for c in model.__mro__ if name in c.__dict__.get("__annotations__", {}))
        found.append((info.alias or name, f"{owner.__name__}.{name}", info.rebuild_annotation()))
    return found


def schema_strings(annotation: Any, label: str = "", seen: set | None = None) -> set[str]:
    """Every string field the schema has, as `Model.field`, `Model.field[]` (the items of a
    list) or `Model.field{}` (the values of a mapping)."""
    seen = set() if seen is None else seen
    kind, inner = _shape(annotation)
    if kind in ("list", "dict"):
        return schema_strings(inner, label + ("[]" if kind == "list" else "{}"), seen)
    if kind == "number":
        return set()
    if kind != "models":
        return {label}
    names: set[str] = set()
    for model in inner:
        if model not in seen:
            seen.add(model)
            for _, field, field_annotation in _fields(model):
                names |= schema_strings(field_annotation, field, seen)
    return names


def lesson_strings(annotation: Any, data: Any, label: str = "", path: tuple = ()) -> dict:
    """Every string field the schema has that `data` fills, named as `schema_strings` names
    them: the path of its first value in `data`, and its kind."""
    kind, inner = _shape(annotation)
    if kind in ("text", "id", "choice"):
        return {label: (path, kind)}
    found: dict = {}
    if kind == "number":
        return found
    if kind in ("list", "dict"):
        entries = enumerate(data) if kind == "list" else ((key, data[key]) for key in data)
        for key, item in entries:
            suffix = "[]" if kind == "list" else "{}"
            for name, hit in lesson_strings(inner, item, label + suffix, (*path, key)).items():
                found.setdefault(name, hit)
        return found
    model = inner[0] if len(inner) == 1 else QUESTION_TYPES[data.get("type", "single-choice")]
    for key, field, field_annotation in _fields(model):
        if key in data:
            for name, hit in lesson_strings(
                field_annotation, data[key], field, (*path, key)
            ).items():
                found.setdefault(name, hit)
    return found


def with_every_optional_string(host: Host) -> dict:
    """The real lesson, plus the optional string fields it leaves out, still valid."""
    data = copy.deepcopy(host.data)
    data["flow"]["edges"][0]["label"] = "packaged"
    data["visual_quiz"][0]["type"] = "single-choice"
    data["glossary_from"] = ["another-lesson"]  # that it exists is load_lessons' to check
    if not any("code" in q for section in QUIZ_SECTIONS for q in data[section]):
        data["practice"][0]["code"] = {"language": "text", "source": "x\n"}
    assert parse_lesson(dump(data), host.source, slug=host.slug)
    return data


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)


BASES = {slug: with_every_optional_string(host) for slug, host in HOSTS.items()}
STRINGS = {slug: lesson_strings(Lesson, base) for slug, base in BASES.items()}
SCHEMA_STRINGS = sorted(schema_strings(Lesson))


def test_the_hostile_text_cases_reach_every_string_field_of_the_schema(host):
    assert set(STRINGS[host.slug]) == set(SCHEMA_STRINGS)
    assert len(SCHEMA_STRINGS) > 60


def with_value(host: Host, path: tuple, value: str) -> str:
    data = copy.deepcopy(BASES[host.slug])
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return dump(data)


def path_text(host: Host, path: tuple) -> str:
    """The path as a problem shows it: a question's id after its position (unless the id is
    the field made hostile)."""
    text = "".join(
        f"[{part}]" if isinstance(part, int) else (f".{part}" if index else part)
        for index, part in enumerate(path)
    )
    if len(path) > 2 and path[0] in QUIZ_SECTIONS and path[2] != "id":
        text = text.replace(f"{path[0]}[{path[1]}]", host.quiz_path(*path[:2]), 1)
    return text


# The hostile value, how it is written in the dumped file, and what a text field says about it.
HOSTILE = {
    "a snippet marker": ("a --8<-- b", "a --8<-- b", f"{SNIPPET}, got '--8<--' in 'a --8<-- b'"),
    "a control character": (
        "a\x07b",
        '"a\\ab"',
        "expected text without control characters (other than tab and line break), got a "
        "control character U+0007 in 'a\\x07b'",
    ),
}


def expected_message(field: str, kind: str, value: str, for_text: str) -> str:
    if field in ("FlowStep.label", "FlowEdge.label") and "<" in value:
        return f"{LABEL_RULE}, got {value!r}"  # the diagram's own rule sees the `<` first
    if kind == "text":
        return for_text
    if kind == "id":
        return f"expected a kebab-case id (like 'run-anywhere'), got {value!r}"
    if field.endswith(".type"):  # the question type is what tells the kinds apart
        return (
            "expected 'single-choice', 'multiple-choice', 'ordering' or 'short-answer', "
            f"got {value!r}"
        )
    if field == "ShortAnswer.judge":
        return f"expected 'text' or 'command', got {value!r}"
    return f"expected 'easy', 'medium' or 'hard', got {value!r}"


@pytest.mark.parametrize("hostile", list(HOSTILE))
@pytest.mark.parametrize("field", SCHEMA_STRINGS)
def test_every_string_field_rejects_hostile_text_at_its_own_path_and_line(host, field, hostile):
    if field not in STRINGS[host.slug]:
        pytest.fail(f"{host.slug} has no {field} to make hostile (see the test above)")
    path, kind = STRINGS[host.slug][field]
    value, written, for_text = HOSTILE[hostile]
    text = with_value(host, path, value)
    # No slug: a changed lesson id is only this problem.
    assert host.problems_in(text, slug=None) == host.report(
        line_of(text, written),
        path_text(host, path),
        expected_message(field, kind, value, for_text),
    )
