"""The errors an author meets first say the likely cause and the fix, at the line to change:
YAML syntax, a misspelt key, a question found by its id, and every problem listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.loader import LessonError, parse_lesson

FIXTURE = Path(__file__).parent / "fixtures" / "tiny-lesson.yml"
SOURCE = "docs/lessons/tiny-lesson/lesson.yml"
VALID = FIXTURE.read_text(encoding="utf-8")
QUOTE_FIX = 'quote the value ("...") or use a `|` block'


def problems_in(text: str) -> list[str]:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, SOURCE, slug="tiny-lesson")
    return caught.value.lines


def broken(old: str, new: str) -> str:
    assert VALID.count(old) >= 1, f"the fixture no longer contains {old!r}"
    return VALID.replace(old, new, 1)


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def syntax(line: int, message: str) -> list[str]:
    return [f"{SOURCE}:{line}: (YAML syntax): {message}"]


# YAML syntax


@pytest.mark.parametrize(
    "value", ["Build: then run.", "Build, then run:"], ids=["inside", "at the end"]
)
def test_a_colon_inside_a_plain_value_says_to_quote_it(value):
    text = broken("  caption: Build, then run.", f"  caption: {value}")
    assert problems_in(text) == syntax(
        line_of(text, value),
        "expected one value after `caption:`, got another `:` inside it (YAML reads `: ` or a "
        f"`:` at the end of a line as the start of a new key): {QUOTE_FIX}",
    )


def test_a_colon_inside_a_list_item_value_names_its_key():
    text = broken("      - text: Step 2\n", "      - text: Step 2: run it\n")
    assert problems_in(text)[0] == syntax(line_of(text, "Step 2: run"), "")[0] + (
        "expected one value after `text:`, got another `:` inside it (YAML reads `: ` or a `:` "
        f"at the end of a line as the start of a new key): {QUOTE_FIX}"
    )


@pytest.mark.parametrize(
    ("start", "named"),
    [("`", "a backtick"), ("* ", "`*`"), ("& ", "`&`"), ("%", "`%`"), ("@", "`@`")],
    ids=["backtick", "star", "ampersand", "percent", "at"],
)
def test_a_value_starting_with_a_reserved_character_says_to_quote_it(start, named):
    text = broken("summary: The smallest", f"summary: {start}The smallest")
    assert problems_in(text) == syntax(
        line_of(text, "summary:"),
        f"expected a value YAML can read, got text starting with {named}, which YAML "
        f"reserves: {QUOTE_FIX}",
    )


def test_a_value_starting_with_an_exclamation_mark_says_to_quote_it():
    text = broken("summary: The smallest", "summary: !The smallest")
    assert problems_in(text) == [
        f"{SOURCE}:{line_of(text, 'summary:')}: (YAML): expected plain values, got a tag "
        "`!The` (tags are not allowed in lesson files; quote text instead)"
    ]


def test_a_tab_used_to_indent_is_named_at_its_line():
    text = broken("  topic: devops", "\ttopic: devops")
    assert problems_in(text) == syntax(
        line_of(text, "\ttopic"),
        "expected spaces to indent, got a tab at column 1 (YAML does not allow tabs for "
        "indentation): indent with spaces",
    )


def test_a_key_indented_past_its_siblings_names_the_column_expected():
    text = broken("  topic: devops", "   topic: devops")
    assert problems_in(text) == syntax(
        line_of(text, "   topic"),
        "expected `topic:` indented 2 spaces, as `area:` on line 4, got 3 spaces (indented "
        "further, it continues the text of `area:`; if that is meant, quote that text or use "
        "a `|` block)",
    )


def test_a_key_indented_between_two_levels_names_both():
    text = broken("  rows:\n    - step: 1", " rows:\n    - step: 1")
    assert problems_in(text) == syntax(
        line_of(text, " rows:"),
        "expected this line to line up with one above it: 2 spaces (as `takeaway:` on "
        "line 26) or 0 spaces (as `process_table:` on line 25), got 1 space",
    )


def test_a_list_item_that_does_not_line_up_names_the_dash_above():
    text = broken("    - id: run\n", "     - id: run\n")
    assert problems_in(text) == syntax(
        line_of(text, "     - id: run"),
        "expected this line to line up with one above it: 6 spaces (as `label:` on line 14) "
        "or 4 spaces (as `-` on line 13), got 5 spaces",
    )


def test_a_missing_space_after_a_colon_is_reported_at_its_own_line_not_the_next():
    text = broken("minutes: 5\n", "minutes:5\n")
    assert problems_in(text) == syntax(
        line_of(text, "minutes:5"),
        "expected a space after `minutes:`, got `minutes:5` (without one, YAML reads the line "
        "as text that runs on into the next)",
    )


def test_an_unclosed_quote_is_reported_where_it_opens_not_at_the_end_of_the_file():
    text = broken("summary: The smallest valid lesson.", 'summary: "The smallest valid lesson.')
    assert problems_in(text) == syntax(
        line_of(text, "summary:"),
        'expected a closing `"` for the quoted value that starts here, got the end of the file',
    )


def test_text_after_a_closing_quote_says_to_quote_the_whole_value():
    text = broken("summary: The smallest", 'summary: "The" smallest')
    assert problems_in(text) == syntax(
        line_of(text, "summary:"),
        'expected nothing after the closing `"` of the value of `summary`, got more text: '
        f"{QUOTE_FIX}",
    )


def test_a_syntax_error_with_no_known_cause_still_reads_as_yaml_says_it():
    text = broken("minutes: 5", "minutes: [5")
    assert problems_in(text) == syntax(
        8,
        "expected valid YAML, got while parsing a flow sequence: expected ',' or ']', but got ':'",
    )


def test_no_line_edit_of_the_lesson_gives_anything_but_a_problem_report():
    lines = VALID.split("\n")
    for number in range(len(lines)):
        for edit in ("\t", " ", "x: ", ": ", "`", "- ", '"'):
            text = "\n".join([*lines[:number], edit + lines[number], *lines[number + 1 :]])
            try:
                parse_lesson(text, SOURCE, slug="tiny-lesson")
            except LessonError as error:
                assert all(line.startswith(f"{SOURCE}:") for line in error.lines)


# Unknown keys


def test_unknown_key_suggests_the_nearest_known_one():
    text = broken("        why_wrong: Step 2", "        whywrong: Step 2")
    assert problems_in(text) == [
        f"{SOURCE}:65: visual_quiz[0] (q1).options[1].whywrong: expected a known field, got "
        "unknown key 'whywrong' (did you mean `why_wrong`?)"
    ]


def test_unknown_key_suggests_the_key_as_authors_write_it_not_the_python_name():
    text = broken("      to: run", "      too: run")
    lines = problems_in(text)
    assert (
        f"{SOURCE}:19: flow.edges[0].too: expected a known field, got unknown key 'too' (did you mean `to`?)"
        in lines
    )


def test_unknown_key_with_nothing_close_suggests_nothing():
    assert problems_in(broken("minutes: 5", "minutes: 5\nduration: 5")) == [
        f"{SOURCE}:8: duration: expected a known field, got unknown key 'duration'"
    ]


# Questions by id


def test_a_question_path_names_the_question_id_as_well_as_its_position():
    text = broken("  - id: q14\n", "  - id: tb-moving-tags\n")
    index = 4
    after = text.index("tb-moving-tags")
    text = text[:after] + text[after:].replace("why_wrong:", "why_wrong: Option A is wrong;", 1)
    (line,) = problems_in(text)
    assert f": test_bank[{index}] (tb-moving-tags).options[" in line
    assert ".why_wrong: expected no option named by its letter" in line


def test_a_question_whose_id_is_itself_wrong_is_named_by_its_position_only():
    text = broken("  - id: q2\n", "  - id: Q 2\n")
    assert problems_in(text) == [
        f"{SOURCE}:84: practice[0].id: expected a kebab-case id (like 'run-anywhere'), got 'Q 2'"
    ]


# Every problem at once


def test_a_schema_error_in_one_question_leaves_the_other_questions_cross_checked():
    text = broken("  - id: q10\n    difficulty: easy\n", "  - id: q10\n    difficulty: 3\n")
    text = text.replace("    answer: Step 1\n", "    answer: Step 9\n", 1)  # visual_quiz[0]
    at = text.index("  - id: q11")
    text = text[:at] + text[at:].replace("    answer: Step 1\n", "    answer: Step 7\n", 1)
    lines = problems_in(text)
    assert lines == [
        f"{SOURCE}:66: visual_quiz[0] (q1).answer: expected one of the options ('Step 1', "
        "'Step 2'), got 'Step 9'",
        f"{SOURCE}:98: test_bank[0] (q10).difficulty: expected 'easy', 'medium' or 'hard', got 3",
        f"{SOURCE}:{line_of(text, 'answer: Step 7')}: test_bank[1] (q11).answer: expected one of "
        "the options ('Step 1', 'Step 2'), got 'Step 7'",
    ]


def test_a_schema_error_in_the_flow_leaves_references_to_other_sections_checked():
    text = broken("  caption: Build, then run.\n", "  caption: 5\n")
    text = text.replace("      - table_row: 1\nvisual_quiz", "      - table_row: 7\nvisual_quiz")
    assert problems_in(text) == [
        f"{SOURCE}:11: flow.caption: expected text, got 5",
        f"{SOURCE}:57: key_moments[0].refs[0].table_row: expected a process table step from 1 "
        "to 2, got 7",
    ]


def test_a_step_with_a_schema_error_does_not_make_references_to_it_look_wrong():
    text = broken("    - id: run\n      label: Run container", "    - id: run\n      label: 5")
    assert problems_in(text) == [f"{SOURCE}:16: flow.steps[1].label: expected text, got 5"]


def test_a_test_question_with_a_schema_error_does_not_make_the_difficulty_spread_look_short():
    old = "difficulty: hard\n    prompt: Which step creates the image?"
    assert VALID.count("difficulty: hard") == 3
    text = broken(old, "difficulty: hard\n    prompt: 5")
    assert problems_in(text) == [
        f"{SOURCE}:{line_of(text, 'prompt: 5')}: test_bank[{7}] (q17).prompt: expected text, got 5"
    ]
