"""Lesson data is never code: a hostile lesson file is one normal error line, never a traceback,
a hang or a huge page.

Each case takes the real lesson, puts the hostile bit at a known line, and expects exactly
`file:line: field.path: expected ..., got ...` at that line.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import subprocess
import sys
import threading
import types
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel

from macros.field_reference import field_reference
from macros.loader import MAX_DEPTH, MAX_FILE_BYTES, LessonError, load_lesson, parse_lesson
from macros.models import QUESTION_TYPES, QUIZ_SECTIONS, Lesson

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "docs/lessons/containers-portability/lesson.yml"
REAL = (ROOT / SOURCE).read_text(encoding="utf-8")
SLUG = "containers-portability"
DATA = yaml.safe_load(REAL)
# The line just after `minutes: 10`, where most cases put their hostile bit.
AFTER_MINUTES = REAL.splitlines().index("minutes: 10") + 2


def problems_in(text: str) -> list[str]:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, SOURCE, slug=SLUG)
    return caught.value.lines


def replaced(old: str, new: str) -> str:
    """The real lesson with the first `old` replaced by `new`."""
    assert old in REAL, f"the lesson no longer contains {old!r}"
    return REAL.replace(old, new, 1)


def after_minutes(lines: str) -> str:
    """The real lesson with `lines` inserted at line AFTER_MINUTES, after `minutes: 10`."""
    assert REAL.splitlines()[AFTER_MINUTES - 2] == "minutes: 10"
    return replaced("minutes: 10\n", "minutes: 10\n" + lines)


def line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, f"{marker!r} is not unique"
    return text[: text.index(marker)].count("\n") + 1


def quiz_path(section: str, index: int) -> str:
    """`practice[3] (pr-dockerfile-run)`: a question's position and its id in the real lesson."""
    return f"{section}[{index}] ({DATA[section][index]['id']})"


def report(line: int, path: str, message: str) -> list[str]:
    return [f"{SOURCE}:{line}: {path}: {message}"]


def test_the_real_lesson_still_loads():
    assert parse_lesson(REAL, SOURCE, slug=SLUG).id == SLUG


# YAML features that are not plain data

ALIASES = "(anchors and aliases are not allowed in lesson files)"
BILLION_LAUGHS = (
    'lol0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"lol{level}: &{chr(97 + level)} [{', '.join([f'*{chr(96 + level)}'] * 9)}]\n"
        for level in range(1, 9)
    )
)


def test_an_alias_bomb_is_rejected_at_its_first_anchor_without_expanding():
    # Nine levels of nine aliases: 9**9 strings once expanded. A hang fails the test (timeout)
    # rather than blocking the suite.
    script = (
        "import json, sys\n"
        "from macros.loader import LessonError, parse_lesson\n"
        "try:\n"
        f"    parse_lesson(sys.stdin.read(), {SOURCE!r}, slug={SLUG!r})\n"
        "except LessonError as error:\n"
        "    print(json.dumps(error.lines))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=after_minutes(BILLION_LAUGHS),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.stderr == ""
    assert json.loads(result.stdout) == report(
        AFTER_MINUTES, "(YAML)", f"expected plain values, got an anchor `&a` {ALIASES}"
    )


def test_yaml_aliases_are_rejected_at_their_line():
    text = replaced("difficulty: easy\nsummary:", "difficulty: *level\nsummary:")
    assert problems_in(text) == report(
        line_of(text, "*level"), "(YAML)", f"expected plain values, got an alias `*level` {ALIASES}"
    )


def test_an_anchor_is_rejected_even_when_nothing_refers_to_it():
    text = replaced("title: Why", "title: &t Why")
    assert problems_in(text) == report(
        line_of(text, "&t"), "(YAML)", f"expected plain values, got an anchor `&t` {ALIASES}"
    )


def test_an_anchor_on_a_nested_mapping_is_rejected_at_its_line():
    text = replaced(
        "      label: Model output\n", "      label: Model output\n      extra: &row {}\n"
    )
    assert problems_in(text) == report(
        line_of(text, "&row"), "(YAML)", f"expected plain values, got an anchor `&row` {ALIASES}"
    )


def test_a_python_object_tag_is_rejected_before_anything_is_constructed():
    text = after_minutes("run: !!python/object/apply:os.system [echo hacked]\n")
    assert problems_in(text) == report(
        AFTER_MINUTES,
        "(YAML)",
        "expected plain values, got a tag `!!python/object/apply:os.system` "
        "(tags are not allowed in lesson files; quote text instead)",
    )


def test_a_type_tag_on_a_value_is_rejected_rather_than_obeyed():
    text = replaced("minutes: 10\n", "minutes: !!str 10\n")
    assert problems_in(text) == report(
        line_of(text, "minutes:"),
        "(YAML)",
        "expected plain values, got a tag `!!str` (tags are not allowed in lesson files; "
        "quote text instead)",
    )


def test_a_merge_key_is_an_unknown_key_not_a_merge():
    text = after_minutes("<<: {title: Merged in}\n")
    assert problems_in(text) == report(
        AFTER_MINUTES, "<<", "expected a known field, got unknown key '<<'"
    )


def test_a_list_used_as_a_key_is_reported_at_its_line():
    text = after_minutes("? [a, b]\n: x\n")
    assert problems_in(text) == report(
        AFTER_MINUTES, "(YAML)", "expected text keys (field names and ids), got a list as a key"
    )


# Nesting

NESTING = "expected at most 50 levels of nested lists and mappings, got level 51"


def test_three_thousand_nested_lists_are_reported_at_their_line_not_as_a_recursion_error():
    text = after_minutes("deep: " + "[" * 3000 + "\n")
    assert problems_in(text) == report(AFTER_MINUTES, "(YAML)", NESTING)


def test_three_thousand_nested_mappings_are_reported_at_their_line():
    text = after_minutes("deep: " + "{a: " * 3000 + "\n")
    assert problems_in(text) == report(AFTER_MINUTES, "(YAML)", NESTING)


def test_deep_block_nesting_is_reported_at_the_line_where_the_limit_is_crossed():
    # `deep:` holds level 2 (the lesson itself is level 1); the i-th `k:` line starts level
    # i + 2, so the 49th `k:` line starts level 51.
    nested = "deep:\n  k0:\n" + "".join(f"{'  ' * (i + 2)}k{i + 1}:\n" for i in range(60))
    text = after_minutes(nested + " " * 124 + "end: 1\n")
    assert problems_in(text) == report(line_of(text, " k49:"), "(YAML)", NESTING)


def test_nesting_up_to_the_limit_is_allowed_by_the_yaml_reading():
    # The lesson mapping and 49 lists: 50 levels, the most allowed.
    assert MAX_DEPTH == 50
    text = after_minutes("deep: " + "[" * 49 + "1" + "]" * 49 + "\n")
    assert problems_in(text) == report(
        AFTER_MINUTES, "deep", "expected a known field, got unknown key 'deep'"
    )


# Characters and bytes


@pytest.mark.parametrize(
    ("character", "name"),
    [("\0", "U+0000"), ("\a", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F")],
    ids=["a NUL byte", "a BEL byte", "an escape byte", "a DEL byte"],
)
def test_a_control_byte_in_the_file_is_reported_at_its_line(character, name):
    text = replaced("Image includes model", "Image includes" + character + " model")
    assert problems_in(text) == report(
        line_of(text, character),
        "(file)",
        f"expected printable text, got a control character {name}",
    )


def test_a_non_printable_character_in_the_file_is_reported_at_its_line():
    text = replaced("    - step: 2\n", "    - step: 2\n      note: \ufffe\n")
    assert problems_in(text) == report(
        line_of(text, "\ufffe"),
        "(file)",
        "expected printable text, got a non-printable character U+FFFE",
    )


def lesson_file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / SOURCE
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return path


def test_invalid_utf8_on_line_300_is_reported_at_line_300(tmp_path):
    lines = REAL.encode("utf-8").split(b"\n")
    lines[299] = lines[299][:10] + b"\xff" + lines[299][10:]
    path = lesson_file(tmp_path, b"\n".join(lines))
    with pytest.raises(LessonError) as caught:
        load_lesson(path, relative_to=tmp_path)
    assert caught.value.lines == report(
        300, "(file)", "expected UTF-8 text, got invalid start byte"
    )


def test_a_file_over_one_megabyte_is_rejected_before_it_is_read_whole(tmp_path):
    padding = b"# padding\n" * 100_000  # 1,000,000 bytes of comments
    path = lesson_file(tmp_path, REAL.encode("utf-8") + padding)
    size = len(REAL.encode("utf-8")) + len(padding)
    with pytest.raises(LessonError) as caught:
        load_lesson(path, relative_to=tmp_path)
    assert caught.value.lines == report(
        1, "(file)", f"expected at most {MAX_FILE_BYTES} bytes, got {size} bytes"
    )


def test_a_lesson_file_that_is_a_symbolic_link_is_not_followed(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("secret: value\n", encoding="utf-8")
    path = tmp_path / SOURCE
    path.parent.mkdir(parents=True)
    path.symlink_to(outside)
    with pytest.raises(LessonError) as caught:
        load_lesson(path, relative_to=tmp_path)
    assert caught.value.lines == report(1, "(file)", "expected a regular file, got a symbolic link")


def test_a_lesson_file_that_is_a_pipe_is_reported_without_waiting_for_it(tmp_path):
    path = tmp_path / SOURCE
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
    assert caught.value.lines == report(
        1, "(file)", "expected a regular file, got something that is not a file"
    )


def test_lesson_text_over_the_size_limit_is_rejected_before_parsing():
    text = replaced("title: Why", "title: " + "x" * 5_000_000 + "Why")
    assert problems_in(text) == report(
        1, "(file)", f"expected at most {MAX_FILE_BYTES} characters, got {len(text)}"
    )


# Values YAML resolves to something it then cannot build


def test_a_date_that_does_not_exist_is_reported_at_its_line():
    text = replaced("minutes: 10\n", "minutes: 2024-13-45\n")
    assert problems_in(text) == report(
        line_of(text, "minutes:"),
        "(YAML)",
        "expected a value YAML can read, got '2024-13-45' (month must be in 1..12); "
        "quote it to make it text",
    )


def test_a_number_too_long_to_convert_is_reported_at_its_line():
    text = replaced("minutes: 10\n", "minutes: " + "1" * 5000 + "\n")
    assert problems_in(text) == report(
        line_of(text, "minutes:"),
        "(YAML)",
        "expected a value YAML can read, got '" + "1" * 57 + "...' (Exceeds the limit "
        "(4300 digits) for integer string conversion: value has 5000 digits); quote it to make "
        "it text",
    )


def test_a_huge_hexadecimal_number_is_described_not_printed():
    text = replaced("    - step: 2\n", "    - step: 0x" + "f" * 5000 + "\n")
    assert problems_in(text) == report(
        line_of(text, "0xfff"),
        "process_table.rows[1].step",
        "expected a number <= 1000, got a whole number of about 6020 digits",
    )


# Keys YAML would read as something other than text


def test_an_integer_key_is_reported_at_its_own_line():
    text = after_minutes("8: x\n")
    assert problems_in(text) == report(
        AFTER_MINUTES, "8", "expected a known field, got unknown key '8'"
    )


def test_a_yes_key_is_the_text_written_not_true():
    text = replaced("  topic: devops\n", "  topic: devops\n  yes: x\n")
    assert problems_in(text) == report(
        line_of(text, "  yes: x"), "category.yes", "expected a known field, got unknown key 'yes'"
    )


def test_a_number_as_a_tracker_stage_key_is_reported_as_an_unknown_stage():
    text = replaced("        start: N/A\n", "        start: N/A\n        3: x\n")
    assert problems_in(text) == report(
        line_of(text, "        3: x"),
        "status_tracker.variables[1].values.3",
        "expected a stage id ('start', 'after-build', 'after-run-local', 'after-run-cloud', "
        "'after-run-pc'), got '3'",
    )


def test_a_badly_written_tracker_stage_key_is_reported_at_the_key():
    text = replaced("        start: N/A\n", "        start: N/A\n        Bad Key: x\n")
    assert problems_in(text) == report(
        line_of(text, "Bad Key"),
        "status_tracker.variables[1].values.Bad Key",
        "expected a kebab-case id (like 'run-anywhere'), got 'Bad Key'",
    )


# Questions that are not questions

VISUAL_QUIZ_END = "concept_snapshot:\n"  # the fourth visual quiz item goes just before it


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
def test_a_question_that_is_not_a_mapping_is_reported_at_its_item(item, got):
    text = replaced(VISUAL_QUIZ_END, f"  {item}\n{VISUAL_QUIZ_END}")
    assert problems_in(text) == report(
        line_of(text, f"  {item}\n{VISUAL_QUIZ_END}"),
        "visual_quiz[3]",
        f"expected a question (a mapping of fields), got {got}",
    )


@pytest.mark.parametrize(
    ("kind", "got"),
    [("[single-choice]", "a list of 1 item"), ("{a: b}", "a mapping"), ("7", "7")],
    ids=["a list", "a mapping", "a number"],
)
def test_a_question_type_that_is_not_text_is_reported_at_the_type(kind, got):
    text = replaced("    type: ordering\n", f"    type: {kind}\n")
    assert problems_in(text) == report(
        line_of(text, f"    type: {kind}\n"),
        quiz_path("practice", 6) + ".type",
        f"expected 'single-choice', 'multiple-choice', 'ordering' or 'short-answer', got {got}",
    )


# Sizes


@pytest.mark.parametrize(
    ("old", "new", "path", "limit", "length"),
    [
        ("title: Why", "title: " + "x" * 4958 + "Why", "title", 120, 5000),
        ("    - id: develop-model\n", "    - id: " + "a" * 65 + "\n", "flow.steps[0].id", 64, 65),
        (
            "      label: Develop ML model",
            "      label: " + "x" * 200 + "Develop ML model",
            "flow.steps[0].label",
            200,
            216,
        ),
        (
            "    - command: docker build",
            "    - command: " + "x" * 500 + "docker build",
            "execution_sample.commands[0].command",
            500,
            530,
        ),
        (
            "      language: dockerfile",
            "      language: " + "x" * 300,
            quiz_path("practice", 3) + ".code.language",
            200,
            300,
        ),
        (
            "    prompt: What is the reason containers",
            "    prompt: " + "x" * 2000 + "What is the reason containers",
            quiz_path("practice", 0) + ".prompt",
            2000,
            2058,
        ),
        (
            "transcript: |\n",
            "transcript: |\n" + ("  " + "x" * 99 + "\n") * 200,
            "transcript",
            20000,
            20000 + len(DATA["transcript"].strip()),
        ),
        (
            "      source: |\n",
            "      source: |\n        " + "x" * 5000 + "\n",
            quiz_path("practice", 3) + ".code.source",
            5000,
            5001 + len(DATA["practice"][3]["code"]["source"].strip()),
        ),
        (
            "    forms: [images,",
            "    forms: [" + "x" * 201 + ", images,",
            "glossary[0].forms[0]",
            200,
            201,
        ),
    ],
    ids=[
        "a 5000 character title",
        "a long id",
        "a long flow step label",
        "a long command",
        "a long code language",
        "a long prompt",
        "a long transcript",
        "a long code listing",
        "a long glossary form",
    ],
)
def test_text_longer_than_its_limit_is_reported_with_the_limit(old, new, path, limit, length):
    text = replaced(old, new)
    assert problems_in(text) == report(
        line_of(text, new), path, f"expected at most {limit} characters, got {length}"
    )


def test_more_than_fifty_questions_in_a_section_are_reported_at_the_section():
    assert REAL.endswith(
        "      - Forgetting that resource limits are set per run, not in the image.\n"
    )  # test_bank is last
    question = (
        "  - id: extra-{}\n    type: short-answer\n    difficulty: easy\n    prompt: Build it.\n"
        "    answer: docker build .\n    explanation: Build.\n    hint: Tag it.\n"
    )
    text = REAL + "".join(question.format(n) for n in range(30))  # 21 + 30 = 51
    assert problems_in(text) == report(
        line_of(text, "test_bank:"), "test_bank", "expected at most 50 items, got 51"
    )


def test_more_than_thirty_flow_steps_are_reported_at_the_steps():
    extra = "".join(f"    - id: step-{index}\n      label: Step {index}\n" for index in range(26))
    text = replaced("  edges:\n", extra + "  edges:\n")
    assert problems_in(text) == report(
        line_of(text, "  steps:\n    - id: develop-model"),
        "flow.steps",
        "expected at most 30 items, got 31",
    )


def test_a_tracker_with_values_for_too_many_stages_is_reported_with_the_count():
    extra = "".join(f"        stage-{index}: x\n" for index in range(16))
    text = replaced("        start: N/A\n", "        start: N/A\n" + extra)
    assert problems_in(text) == report(
        line_of(text, "        start: N/A\n" + extra) - 1,
        "status_tracker.variables[1].values",
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
def test_a_flow_step_label_must_be_plain_diagram_text(label, got):
    text = replaced("      label: Develop ML model\n", f"      label: {label}\n")
    assert problems_in(text) == report(
        line_of(text, f"label: {label}"), "flow.steps[0].label", f"{LABEL_RULE}, got {got}"
    )


def test_a_flow_edge_label_must_be_plain_diagram_text():
    text = replaced(
        "{from: develop-model, to: package-dependencies}",
        '{from: develop-model, to: package-dependencies, label: "x --> y"}',
    )
    assert problems_in(text) == report(
        line_of(text, "x --> y"), "flow.edges[0].label", f"{LABEL_RULE}, got 'x --> y'"
    )


def test_a_flow_label_may_contain_quotes_and_ampersands():
    text = replaced("      label: Develop ML model\n", "      label: 'Develop \"ML\" model & co'\n")
    assert parse_lesson(text, SOURCE, slug=SLUG).flow.steps[0].label == 'Develop "ML" model & co'


def test_a_title_must_be_one_line():
    text = replaced("title: Why containers", 'title: "Why\\ncontainers')
    text = text.replace("deployment portable\n", 'deployment portable"\n', 1)
    assert problems_in(text) == report(
        line_of(text, 'title: "Why'),
        "title",
        "expected one line of text, got a line break in "
        "'Why\\ncontainers make ML deployment portable'",
    )


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            '"docker build\\nrm -rf /"',
            "expected one line of text, got a line break in 'docker build\\nrm -rf /'",
        ),
        (
            '"docker build\\rrm -rf /"',
            "expected one line of text, got a line break in 'docker build\\rrm -rf /'",
        ),
        (
            "docker build ```",
            "expected a command without three backticks (```), got 'docker build ```'",
        ),
    ],
    ids=["a line break", "a carriage return", "three backticks"],
)
def test_a_command_must_be_one_line_without_a_fence(command, message):
    text = replaced(
        "    - command: docker build -t ml-model:1.0 .\n", f"    - command: {command}\n"
    )
    assert problems_in(text) == report(
        line_of(text, f"command: {command}"), "execution_sample.commands[0].command", message
    )


SNIPPET = "expected text without a snippet marker (`--8<--`)"


@pytest.mark.parametrize(
    ("marker", "got"),
    [('--8<-- "/etc/passwd"', "'--8<--'"), ("-8<-", "'-8<-'"), ("----8<----", "'----8<----'")],
    ids=["the usual marker", "the shortest marker", "a long marker"],
)
def test_a_snippet_marker_in_the_transcript_is_rejected(marker, got):
    text = replaced("transcript: |\n", f"transcript: |\n  {marker}\n")
    shown = repr((marker + "\n" + DATA["transcript"])[:57] + "...")  # long text is cut short
    assert problems_in(text) == report(
        line_of(text, "transcript: |"), "transcript", f"{SNIPPET}, got {got} in {shown}"
    )


def test_a_mermaid_directive_in_a_caption_is_rejected():
    text = replaced("  caption: >-\n    The model", "  caption: >-\n    %%{init: {}}%% The model")
    assert problems_in(text) == report(
        line_of(text, "caption: >-\n    %%{init"),  # a folded block reports at its key
        "flow.caption",
        "expected text without a Mermaid directive (`%%{`), got "
        "'%%{init: {}}%% The model and its dependencies are bundled...'",
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
def test_a_control_character_written_as_an_escape_is_rejected_at_its_field(escape, name, shown):
    text = replaced(
        "      result: \"Image 'ml-model:1.0' created\"", f'      result: "Image{escape}"'
    )
    assert problems_in(text) == report(
        line_of(text, f"Image{escape}"),
        "process_table.rows[0].result",
        "expected text without control characters (other than tab and line break), "
        f"got {name} in 'Image{shown}'",
    )


def test_a_lone_surrogate_written_as_an_escape_is_rejected_at_its_field():
    text = replaced(
        "      result: \"Image 'ml-model:1.0' created\"", '      result: "Image\\ud800"'
    )
    assert problems_in(text) == report(
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


def with_every_optional_string() -> dict:
    """The real lesson, plus the optional string fields it leaves out, still valid."""
    data = yaml.safe_load(REAL)
    data["flow"]["edges"][0]["label"] = "packaged"
    data["visual_quiz"][0]["type"] = "single-choice"
    data["glossary_from"] = ["another-lesson"]  # that it exists is load_lessons' to check
    assert parse_lesson(dump(data), SOURCE, slug=SLUG)
    return data


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)


BASE = with_every_optional_string()
STRINGS = lesson_strings(Lesson, BASE)


def test_the_hostile_text_cases_reach_every_string_field_of_the_schema():
    assert set(STRINGS) == schema_strings(Lesson)
    assert len(STRINGS) > 60


def with_value(path: tuple, value: str) -> str:
    data = copy.deepcopy(BASE)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return dump(data)


def path_text(path: tuple) -> str:
    """The path as a problem shows it: a question's id after its position (unless the id is
    the field made hostile)."""
    text = "".join(
        f"[{part}]" if isinstance(part, int) else (f".{part}" if index else part)
        for index, part in enumerate(path)
    )
    if len(path) > 2 and path[0] in QUIZ_SECTIONS and path[2] != "id":
        text = text.replace(f"{path[0]}[{path[1]}]", quiz_path(*path[:2]), 1)
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
@pytest.mark.parametrize("field", sorted(STRINGS))
def test_every_string_field_rejects_hostile_text_at_its_own_path_and_line(field, hostile):
    path, kind = STRINGS[field]
    value, written, for_text = HOSTILE[hostile]
    text = with_value(path, value)
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, SOURCE)  # no slug: a changed lesson id is only this problem
    assert caught.value.lines == report(
        line_of(text, written), path_text(path), expected_message(field, kind, value, for_text)
    )
