"""A broken lesson file is reported as `file:line: field.path: expected ..., got ...`."""

import re._parser
from pathlib import Path

import pytest

from macros import loader
from macros.loader import LessonError, load_lesson, load_lessons, parse_lesson
from tests.conftest import at_most_seconds

FIXTURE = Path(__file__).parent / "fixtures" / "tiny-lesson.yml"
SOURCE = "docs/lessons/tiny-lesson/lesson.yml"
VALID = FIXTURE.read_text(encoding="utf-8")


def problems_in(text: str) -> list[str]:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, SOURCE, slug="tiny-lesson")
    return caught.value.lines


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in VALID, f"the fixture no longer contains {old!r}"
    return VALID.replace(old, new, count)


def test_the_fixture_is_a_valid_lesson():
    lesson = parse_lesson(VALID, SOURCE, slug="tiny-lesson")
    assert lesson.id == "tiny-lesson"
    assert [row.step for row in lesson.process_table.rows] == [1, 2]


def test_unknown_key_reports_its_line():
    assert problems_in(broken("minutes: 5", "minutes: 5\nduration: 5")) == [
        f"{SOURCE}:8: duration: expected a known field, got unknown key 'duration'"
    ]


def test_misspelled_nested_key_reports_its_path():
    assert problems_in(
        broken("      action: Build container image", "      acton: Build container image")
    ) == [
        f"{SOURCE}:28: process_table.rows[0].action: expected a value (this field is required), got nothing",
        f"{SOURCE}:29: process_table.rows[0].acton: expected a known field, got unknown key 'acton' "
        "(did you mean `action`?)",
    ]


def test_missing_field_reports_the_mapping_that_should_hold_it():
    assert problems_in(broken("      label: Build image\n", "")) == [
        f"{SOURCE}:13: flow.steps[0].label: expected a value (this field is required), got nothing"
    ]


def test_difficulty_outside_easy_medium_hard_is_rejected():
    assert problems_in(broken("difficulty: easy\nsummary", "difficulty: expert\nsummary")) == [
        f"{SOURCE}:8: difficulty: expected 'easy', 'medium' or 'hard', got 'expert'"
    ]


def test_a_yes_that_yaml_reads_as_true_is_not_silently_text():
    text = broken("    answer: Step 1\n", "    answer: yes\n")
    assert problems_in(text) == [
        f"{SOURCE}:66: visual_quiz[0] (q1).answer: expected text, got true (a yes/no value; quote it to make it text)"
    ]


def test_a_number_in_quotes_is_not_silently_a_number():
    assert problems_in(broken("minutes: 5", 'minutes: "5"')) == [
        f"{SOURCE}:7: minutes: expected a whole number, got '5'"
    ]


def test_answer_must_be_one_of_the_options():
    assert problems_in(broken("    answer: Step 1\n", "    answer: Step 9\n")) == [
        f"{SOURCE}:66: visual_quiz[0] (q1).answer: expected one of the options ('Step 1', 'Step 2'), got 'Step 9'"
    ]


def test_every_wrong_option_needs_an_explanation():
    assert problems_in(broken("        why_wrong: Step 2 runs the image.\n", "")) == [
        f"{SOURCE}:64: visual_quiz[0] (q1).options[1]: expected a why_wrong line explaining this wrong option, got none"
    ]


def test_the_correct_option_has_no_why_wrong():
    text = broken("      - text: Step 1\n", "      - text: Step 1\n        why_wrong: It is not.\n")
    assert problems_in(text) == [
        f"{SOURCE}:64: visual_quiz[0] (q1).options[0].why_wrong: expected no why_wrong on a correct option, got one"
    ]


def test_reference_to_a_missing_table_row_is_reported():
    text = broken("      - table_row: 1\nvisual_quiz", "      - table_row: 7\nvisual_quiz")
    assert problems_in(text) == [
        f"{SOURCE}:57: key_moments[0].refs[0].table_row: expected a process table step from 1 to 2, got 7"
    ]


def test_reference_to_a_missing_tracker_cell_names_both_halves():
    text = broken(
        "      - table_row: 1\nvisual_quiz",
        "      - tracker_cell: {variable: model-env, stage: after-run}\nvisual_quiz",
    )
    assert problems_in(text) == [
        f"{SOURCE}:57: key_moments[0].refs[0].tracker_cell.stage: expected a status tracker stage "
        "('start', 'after-build'), got 'after-run'",
        f"{SOURCE}:57: key_moments[0].refs[0].tracker_cell.variable: expected a status tracker variable "
        "('model-environment'), got 'model-env'",
    ]


def test_reference_with_two_targets_is_rejected():
    text = broken(
        "    refs:\n      - table_row: 1\n",
        "    refs:\n      - table_row: 1\n        key_moment: why-package\n",
    )
    assert problems_in(text) == [
        f"{SOURCE}:57: key_moments[0].refs[0]: expected exactly one of table_row, tracker_cell, "
        "key_moment, flow_step, limit, got table_row, key_moment"
    ]


def test_tracker_needs_a_value_for_every_stage():
    assert problems_in(broken("        after-build: Packaged\n", "")) == [
        f"{SOURCE}:49: status_tracker.variables[0].values: expected a value for stage 'after-build', got none"
    ]


def test_tracker_value_for_an_unknown_stage_is_reported():
    text = broken(
        "        after-build: Packaged\n",
        "        after-build: Packaged\n        after-run: Running\n",
    )
    assert problems_in(text) == [
        f"{SOURCE}:52: status_tracker.variables[0].values.after-run: expected a stage id "
        "('start', 'after-build'), got 'after-run'"
    ]


def test_duplicate_ids_are_reported_at_the_second_one():
    text = broken(
        "    - id: run\n      label: Run container", "    - id: build\n      label: Run container"
    )
    assert problems_in(text) == [
        f"{SOURCE}:15: flow.steps[1].id: expected a unique step id, got 'build' again (first at flow.steps[0])",
        f"{SOURCE}:19: flow.edges[0].to: expected a step id ('build', 'build'), got 'run'",
        f"{SOURCE}:38: process_table.rows[1].flow_steps[0]: "
        "expected a flow step id ('build', 'build'), got 'run'",
    ]


def test_duplicate_question_ids_across_sections_are_reported():
    text = broken("  - id: q2\n", "  - id: q1\n")
    assert problems_in(text) == [
        f"{SOURCE}:84: practice[0] (q1).id: expected a question id unique in the lesson, got 'q1' again "
        "(first at visual_quiz[0])"
    ]


def test_process_table_rows_are_numbered_in_order():
    assert problems_in(broken("    - step: 2", "    - step: 3")) == [
        f"{SOURCE}:34: process_table.rows[1].step: expected step 2 (rows are numbered 1, 2, 3, ... in order), got 3"
    ]


def test_ids_must_be_kebab_case():
    assert problems_in(broken("    - id: build\n", "    - id: Build Step\n")) == [
        f"{SOURCE}:13: flow.steps[0].id: expected a kebab-case id (like 'run-anywhere'), got 'Build Step'"
    ]


def test_test_bank_needs_three_questions_of_each_difficulty():
    assert problems_in(VALID.replace("difficulty: hard", "difficulty: medium")) == [
        f"{SOURCE}:96: test_bank: expected at least 3 hard questions, got 0"
    ]


def test_repeated_key_is_reported_at_the_repeat_not_silently_overwritten():
    assert problems_in(broken("minutes: 5", "minutes: 5\nminutes: 6")) == [
        f"{SOURCE}:8: minutes: expected each key once, got 'minutes' again (first at line 7)"
    ]


def test_yaml_syntax_error_reports_its_line():
    assert problems_in(broken("minutes: 5", "minutes: [5")) == [
        f"{SOURCE}:8: (YAML syntax): expected valid YAML, got while parsing a flow sequence: "
        "expected ',' or ']', but got ':'"
    ]


def test_empty_file_is_reported():
    assert problems_in("") == [
        f"{SOURCE}:1: (top level): expected a mapping of lesson fields, got nothing"
    ]


def test_every_problem_is_reported_at_once_in_line_order():
    text = broken("minutes: 5", "minutes: 0").replace(
        "    answer: Step 1\n", "    answer: Step 9\n", 1
    )
    text = text.replace("title: A tiny lesson\n", "title: A tiny lesson\ncolour: blue\n")
    assert problems_in(text) == [
        f"{SOURCE}:3: colour: expected a known field, got unknown key 'colour'",
        f"{SOURCE}:8: minutes: expected a number >= 1, got 0",
        f"{SOURCE}:67: visual_quiz[0] (q1).answer: expected one of the options ('Step 1', 'Step 2'), got 'Step 9'",
    ]


def test_cross_checks_still_run_on_sections_next_to_a_schema_error():
    text = broken("minutes: 5", "minutes: lots").replace("    - step: 2", "    - step: 5")
    assert problems_in(text) == [
        f"{SOURCE}:7: minutes: expected a whole number, got 'lots'",
        f"{SOURCE}:34: process_table.rows[1].step: expected step 2 (rows are numbered 1, 2, 3, ... in order), got 5",
    ]


def test_id_must_match_the_folder_name(tmp_path):
    folder = tmp_path / "docs" / "lessons" / "another-name"
    folder.mkdir(parents=True)
    (folder / "lesson.yml").write_text(VALID, encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(folder / "lesson.yml", relative_to=tmp_path)
    assert caught.value.lines == [
        "docs/lessons/another-name/lesson.yml:1: id: expected 'another-name' (the lesson's folder name), "
        "got 'tiny-lesson'"
    ]


def test_problems_in_several_files_are_reported_together(tmp_path):
    for slug in ("first-lesson", "second-lesson"):
        folder = tmp_path / "docs" / "lessons" / slug
        folder.mkdir(parents=True)
        (folder / "lesson.yml").write_text(
            VALID.replace("id: tiny-lesson", f"id: {slug}\nextra: 1")
        )
    with pytest.raises(LessonError) as caught:
        load_lessons(tmp_path / "docs", tmp_path)
    assert caught.value.lines == [
        "docs/lessons/first-lesson/lesson.yml:2: extra: expected a known field, got unknown key 'extra'",
        "docs/lessons/second-lesson/lesson.yml:2: extra: expected a known field, got unknown key 'extra'",
    ]
    assert str(caught.value).startswith("Invalid lesson data (2 problems):\n")


def test_a_relative_project_dir_still_names_files_from_the_project(tmp_path, monkeypatch):
    # `mkdocs build -f mkdocs.yml`: mkdocs.yml's directory is "", the docs folder absolute.
    folder = tmp_path / "docs" / "lessons" / "tiny-lesson"
    folder.mkdir(parents=True)
    (folder / "lesson.yml").write_text(
        VALID.replace("id: tiny-lesson", "id: tiny-lesson\nextra: 1")
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LessonError) as caught:
        load_lessons(tmp_path / "docs", Path(""))
    assert caught.value.lines == [
        "docs/lessons/tiny-lesson/lesson.yml:2: extra: expected a known field, got unknown key 'extra'",
    ]


def test_a_lesson_outside_the_project_dir_is_named_by_its_whole_path(tmp_path):
    folder = tmp_path / "docs" / "lessons" / "tiny-lesson"
    folder.mkdir(parents=True)
    (folder / "lesson.yml").write_text(
        VALID.replace("id: tiny-lesson", "id: tiny-lesson\nextra: 1")
    )
    with pytest.raises(LessonError) as caught:
        load_lessons(tmp_path / "docs", tmp_path / "elsewhere")
    assert caught.value.lines == [
        f"{folder.as_posix()}/lesson.yml:2: extra: expected a known field, got unknown key 'extra'",
    ]


def test_file_that_is_not_utf8_is_reported_at_the_line_of_the_bad_byte(tmp_path):
    folder = tmp_path / "docs" / "lessons" / "tiny-lesson"
    folder.mkdir(parents=True)
    (folder / "lesson.yml").write_bytes(VALID.encode("utf-8") + b"\xff\xfe")
    line = VALID.count("\n") + 1  # the bad bytes start the line after the fixture's last
    with pytest.raises(LessonError) as caught:
        load_lesson(folder / "lesson.yml", relative_to=tmp_path)
    assert caught.value.lines == [
        f"docs/lessons/tiny-lesson/lesson.yml:{line}: (file): expected UTF-8 text, "
        "got invalid start byte"
    ]


# The interactive question types (multiple choice, ordering, short answer)


def with_practice_question(question_yaml: str) -> str:
    """The fixture with one more practice question, inserted just before `test_bank:` (line 96)."""
    return broken("test_bank:\n", question_yaml + "test_bank:\n")


MULTIPLE = """  - id: mc
    type: multiple-choice
    difficulty: medium
    prompt: Which travel in the image?
    options:
      - text: Code
      - text: Libraries
      - text: Kernel
        why_wrong: The kernel is the host's.
    answers: [Code, Libraries]
    explanation: User space travels.
    hint: Think layers.
"""


def test_valid_multiple_choice_ordering_and_short_answer_questions_load():
    text = with_practice_question(
        MULTIPLE
        + "  - id: order\n    type: ordering\n    difficulty: easy\n    prompt: Order them.\n"
        "    items: [Build, Run, Compare]\n    explanation: Build first.\n    hint: Start.\n"
        "  - id: typed\n    type: short-answer\n    difficulty: easy\n    prompt: Build it.\n"
        "    answer: docker build -t x .\n    accepted: [docker build --tag x .]\n"
        "    explanation: Build.\n    hint: Tag it.\n"
    )
    lesson = parse_lesson(text, SOURCE, slug="tiny-lesson")
    assert [q.type for q in lesson.practice] == [
        "single-choice",
        "multiple-choice",
        "ordering",
        "short-answer",
    ]


def test_unknown_question_type_names_the_known_ones():
    assert problems_in(with_practice_question(MULTIPLE.replace("multiple-choice", "essay"))) == [
        f"{SOURCE}:97: practice[1] (mc).type: expected 'single-choice', 'multiple-choice', 'ordering' "
        "or 'short-answer', got 'essay'"
    ]


def test_field_of_another_question_type_is_an_unknown_key():
    assert problems_in(
        with_practice_question(MULTIPLE.replace("    answers:", "    answer: Code\n    answers:"))
    ) == [
        f"{SOURCE}:105: practice[1] (mc).answer: expected a known field, got unknown key 'answer' "
        "(did you mean `answers`?)"
    ]


def test_multiple_choice_answers_must_all_be_options():
    assert problems_in(
        with_practice_question(MULTIPLE.replace("[Code, Libraries]", "[Code, Drivers]"))
    ) == [
        f"{SOURCE}:105: practice[1] (mc).answers[1]: expected one of the options ('Code', 'Libraries', "
        "'Kernel'), got 'Drivers'"
    ]


def test_multiple_choice_needs_why_wrong_only_on_wrong_options():
    text = with_practice_question(MULTIPLE.replace("[Code, Libraries]", "[Code]"))
    assert problems_in(text) == [
        f"{SOURCE}:102: practice[1] (mc).options[1]: expected a why_wrong line explaining this wrong "
        "option, got none"
    ]


def test_multiple_choice_with_every_option_right_is_rejected():
    text = with_practice_question(
        MULTIPLE.replace("        why_wrong: The kernel is the host's.\n", "").replace(
            "[Code, Libraries]", "[Code, Libraries, Kernel]"
        )
    )
    assert problems_in(text) == [
        f"{SOURCE}:104: practice[1] (mc).answers: expected at least one wrong option, got every option "
        "as an answer"
    ]


def test_ordering_needs_three_distinct_items():
    text = with_practice_question(
        "  - id: order\n    type: ordering\n    difficulty: easy\n    prompt: Order them.\n"
        "    items: [Build, Run, Build]\n    explanation: Build first.\n    hint: Start.\n"
    )
    assert problems_in(text) == [
        f"{SOURCE}:100: practice[1] (order).items[2]: expected distinct items, got 'Build' again"
    ]
    assert problems_in(text.replace("[Build, Run, Build]", "[Build]")) == [
        f"{SOURCE}:100: practice[1] (order).items: expected at least 3 items, got 1"
    ]


def test_short_answer_variant_equal_to_the_answer_after_normalising_is_reported():
    text = with_practice_question(
        "  - id: typed\n    type: short-answer\n    difficulty: easy\n    prompt: Build it.\n"
        "    answer: docker build -t x .\n    accepted: ['docker  build -t x .']\n"
        "    explanation: Build.\n    hint: Tag it.\n"
    )
    assert problems_in(text) == [
        f"{SOURCE}:101: practice[1] (typed).accepted[0]: expected a variant that differs from answer once "
        "white space is normalised, got 'docker  build -t x .'"
    ]


# The step-through's mapping and the glossary


def test_a_row_naming_an_unknown_flow_step_is_reported():
    assert problems_in(broken("flow_steps: [run]", "flow_steps: [deploy]")) == [
        f"{SOURCE}:38: process_table.rows[1].flow_steps[0]: expected a flow step id "
        "('build', 'run'), got 'deploy'"
    ]


def test_a_row_naming_a_flow_step_twice_is_reported():
    assert problems_in(broken("flow_steps: [run]", "flow_steps: [run, run]")) == [
        f"{SOURCE}:38: process_table.rows[1].flow_steps[1]: expected distinct flow steps, "
        "got 'run' again"
    ]


def test_a_row_without_flow_steps_is_rejected():
    assert problems_in(broken("flow_steps: [run]", "flow_steps: []")) == [
        f"{SOURCE}:38: process_table.rows[1].flow_steps: expected at least 1 item, got 0"
    ]


def test_a_row_naming_an_unknown_tracker_stage_is_reported():
    text = broken(
        "      flow_steps: [run]\n      tracker_stage: after-build",
        "      flow_steps: [run]\n      tracker_stage: after-run",
    )
    assert problems_in(text) == [
        f"{SOURCE}:39: process_table.rows[1].tracker_stage: expected a status tracker stage "
        "('start', 'after-build'), got 'after-run'"
    ]


def test_tracker_stages_may_not_go_backwards_from_row_to_row():
    text = broken(
        "      flow_steps: [run]\n      tracker_stage: after-build",
        "      flow_steps: [run]\n      tracker_stage: start",
    )
    assert problems_in(text) == [
        f"{SOURCE}:39: process_table.rows[1].tracker_stage: expected 'after-build' (the previous "
        "row's stage) or a later stage, got 'start', which comes before it"
    ]


def test_a_snapshot_line_without_its_flashcard_cue_is_reported():
    text = broken("    cue: What do containers package?\n", "")
    assert problems_in(text) == [
        f"{SOURCE}:72: concept_snapshot[0].cue: expected a value (this field is required), "
        "got nothing"
    ]


def test_a_plain_snapshot_line_says_what_is_expected():
    text = broken(
        "  - text: Containers package models.\n    cue: What do containers package?\n",
        "  - Containers package models.\n",
    )
    assert problems_in(text) == [
        f"{SOURCE}:72: concept_snapshot[0]: expected a mapping of fields, got "
        "'Containers package models.'"
    ]


def test_a_lesson_without_a_glossary_is_rejected():
    text = broken(
        "glossary:\n  - id: image\n    term: image\n    forms: [images]\n    definition: A package of the model and its dependencies.\n",
        "",
    )
    assert problems_in(text) == [
        f"{SOURCE}:1: glossary: expected a value (this field is required), got nothing"
    ]


def test_a_spelling_used_by_two_glossary_terms_is_reported_whatever_its_case():
    text = broken(
        "    definition: A package of the model and its dependencies.\n",
        "    definition: A package of the model and its dependencies.\n"
        "  - id: picture\n    term: Images\n    definition: Another word.\n",
    )
    assert problems_in(text) == [
        f"{SOURCE}:84: glossary[1].term: expected a spelling no other term or form uses, "
        "got 'Images' again (first at glossary[0].forms[0])"
    ]


def test_repeated_glossary_ids_are_reported():
    text = broken(
        "    definition: A package of the model and its dependencies.\n",
        "    definition: A package of the model and its dependencies.\n"
        "  - id: image\n    term: picture\n    definition: Another word.\n",
    )
    assert problems_in(text) == [
        f"{SOURCE}:83: glossary[1].id: expected a unique glossary id, got 'image' again "
        "(first at glossary[0])"
    ]


# Options are shuffled for every attempt: a letter names a different option three times in four.


def line_in(text: str, marker: str) -> int:
    assert text.count(marker) == 1, f"{marker!r} is not unique"
    return text[: text.index(marker)].count("\n") + 1


LETTER_RULE = (
    "expected no option named by its letter (options are shuffled, so the letter changes): "
    "name the option by what it says"
)


@pytest.mark.parametrize(
    "written", ["Option A is right.", "So option B.", "Options C and D are wrong.", "(option (E))"]
)
def test_an_explanation_that_names_an_option_by_its_letter_is_reported_at_its_line(written):
    text = broken(
        "    explanation: The image is built first.\n", f"    explanation: {written}\n", 1
    )
    problems = problems_in(text)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{SOURCE}:{line_in(text, written)}: visual_quiz[0] (q1).explanation: {LETTER_RULE}, got "
    )


def test_a_solution_step_that_names_an_option_by_its_letter_is_reported_at_its_path():
    text = VALID.replace(
        "    hint_refs:\n      - table_row: 1\ntest_bank:",
        "    hint_refs:\n      - table_row: 1\n    solution:\n      steps:\n"
        "        - title: Pick\n          text: Option A has both.\n"
        "      quick_check: Build first.\ntest_bank:",
    )
    assert text != VALID
    assert problems_in(text) == [
        f"{SOURCE}:{line_in(text, 'Option A has both.')}: practice[0] (q2).solution.steps[0].text: "
        f"{LETTER_RULE}, got 'Option A' in 'Option A has both.'"
    ]


@pytest.mark.parametrize(
    "written", ["An optional step.", "Options are shuffled.", "The option a learner picks."]
)
def test_the_word_option_without_a_letter_is_fine(written):
    text = broken(
        "    explanation: The image is built first.\n", f"    explanation: {written}\n", 1
    )
    assert parse_lesson(text, SOURCE, slug="tiny-lesson")


# The limits table


def test_a_reference_to_a_missing_limits_row_is_reported():
    text = broken("      - table_row: 1\n", "      - limit: clock\n", 1)
    assert problems_in(text) == [
        f"{SOURCE}:{line_in(text, 'limit: clock')}: key_moments[0].refs[0].limit: expected a "
        "limits row id ('kernel'), got 'clock'"
    ]


def test_a_repeated_limits_row_id_is_reported():
    row = (
        "    - id: kernel\n      what: The kernel\n      source: The host.\n"
        "      breaks: A missing system call fails.\n      guard: Test on the production kernel.\n"
    )
    text = VALID + row.replace("The kernel", "The kernel again")
    assert problems_in(text) == [
        f"{SOURCE}:{line_in(text, 'The kernel again') - 1}: limits.rows[1].id: expected a unique "
        "limits row id, got 'kernel' again (first at limits.rows[0])"
    ]


def test_a_lesson_without_limits_is_reported():
    text = VALID[: VALID.index("limits:\n")]
    assert problems_in(text) == [
        f"{SOURCE}:1: limits: expected a value (this field is required), got nothing"
    ]


def test_an_edit_saved_at_once_is_read_not_the_earlier_text(tmp_path):
    folder = tmp_path / "docs" / "lessons" / "tiny-lesson"
    folder.mkdir(parents=True)
    path = folder / "lesson.yml"
    path.write_text(VALID, encoding="utf-8")
    first = load_lesson(path, relative_to=tmp_path)
    assert load_lesson(path, relative_to=tmp_path) is first  # the same text is parsed once
    # Same size, same second: only the text tells the two apart.
    path.write_text(broken("minutes: 5", "minutes: 6"), encoding="utf-8")
    assert load_lesson(path, relative_to=tmp_path).minutes == 6
    path.write_text(broken("minutes: 5", "minutes: [5"), encoding="utf-8")
    with pytest.raises(LessonError):
        load_lesson(path, relative_to=tmp_path)


@pytest.mark.parametrize(
    "lesson_file",
    sorted((Path(__file__).parents[1] / "docs/lessons").glob("*/lesson.yml")),
    ids=lambda p: p.parent.name,
)
def test_libyaml_and_pyyaml_read_every_lesson_file_alike(lesson_file):
    # Lessons are parsed with libyaml, and with PyYAML's own parser only for its error wording.
    from macros.loader import _compose_and_construct, _FastLessonLoader, _LessonLoader

    text = lesson_file.read_text(encoding="utf-8")
    assert (
        _compose_and_construct(_FastLessonLoader, text)[1]
        == _compose_and_construct(_LessonLoader, text)[1]
    )


# A YAML syntax error is explained by reading the lines around it with regular expressions: on a
# line of a lesson file (up to 1 MB), none may take time that grows faster than the line.


def backtracking_repeats(pattern: re.Pattern) -> list[str]:
    """The repeats of `pattern` that can give back what they matched and be tried again (greedy
    or lazy, of more than one item): the source of polynomial time on a long line."""
    found = []

    def walk(items) -> None:
        for op, value in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, inner = value
                if name != "POSSESSIVE_REPEAT" and high != 1:
                    found.append(f"{name} {{{low},{high}}}")
                walk(inner)
            elif name == "BRANCH":
                for alternative in value[1]:
                    walk(alternative)
            elif name in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
                walk(value[-1])
            elif name == "ATOMIC_GROUP":
                walk(value)

    walk(re._parser.parse(pattern.pattern, pattern.flags))
    return found


@pytest.mark.parametrize("name", ["_KEY_LINE", "_DASH_LINE", "_NO_SPACE_KEY"])
def test_the_patterns_that_explain_syntax_errors_never_backtrack_into_a_repeat(name):
    assert backtracking_repeats(getattr(loader, name)) == []


def test_the_backtracking_check_finds_greedy_and_lazy_repeats():
    assert backtracking_repeats(re.compile(r"a*?b+c?(?:d|e{2,})")) == [
        "MIN_REPEAT {0,MAXREPEAT}",
        "MAX_REPEAT {1,MAXREPEAT}",
        "MAX_REPEAT {2,MAXREPEAT}",
    ]
    assert backtracking_repeats(re.compile(r"a*+(?:b++)c?")) == []


def test_a_misaligned_line_below_a_200000_character_line_is_still_explained():
    # The long line continues `label`'s text; the explanation reads it while looking for the
    # levels above the misaligned line (it took over a minute).
    text = "steps:\n  - id: a\n    label: b\n      c" + " " * 200_000 + "d\n   extra: c\n"
    with at_most_seconds(5):
        assert problems_in(text) == [
            f"{SOURCE}:5: (YAML syntax): expected this line to line up with one above it: "
            "4 spaces (as `label:` on line 3) or 2 spaces (as `-` on line 2), got 3 spaces"
        ]


# Invisible format characters (Unicode category Cf): refused where a reader types or matches
# the text, or reads it as a name; bidirectional controls refused everywhere; flagged elsewhere.

ZERO_WIDTH_SPACE = "\u200b"
INVISIBLE = "expected no invisible format characters, got U+200B ZERO WIDTH SPACE in "


def with_short_answer(accepted: str) -> str:
    return with_practice_question(
        "  - id: typed\n    type: short-answer\n    judge: command\n    difficulty: easy\n"
        "    prompt: Build it.\n    answer: docker build -t x .\n"
        f"    accepted: ['{accepted}']\n    explanation: Build.\n    hint: Tag it.\n"
    )


def with_ordering(items: str) -> str:
    return with_practice_question(
        "  - id: order\n    type: ordering\n    difficulty: easy\n    prompt: Order them.\n"
        f"    items: [{items}]\n    explanation: Build first.\n    hint: Start.\n"
    )


@pytest.mark.parametrize(
    ("text", "marker", "field"),
    [
        (
            broken("docker build -t tiny:1.0 .", f"docker{ZERO_WIDTH_SPACE} build -t tiny:1.0 ."),
            "docker\u200b",
            "execution_sample.commands[0].command",
        ),
        (broken("title: A tiny", f"title: A{ZERO_WIDTH_SPACE} tiny"), "A\u200b tiny", "title"),
        (broken("tags: [containers]", f"tags: [contai{ZERO_WIDTH_SPACE}ners]"), "tags:", "tags[0]"),
        (
            with_short_answer(f"docker build --tag{ZERO_WIDTH_SPACE} x ."),
            "accepted:",
            "practice[1] (typed).accepted[0]",
        ),
        (
            with_practice_question(
                MULTIPLE.replace("[Code, Libraries]", f"[Code, Li{ZERO_WIDTH_SPACE}braries]")
            ),
            "answers:",
            "practice[1] (mc).answers[1]",
        ),
        (
            with_ordering(f"Build, R{ZERO_WIDTH_SPACE}un, Compare"),
            "items:",
            "practice[1] (order).items[1]",
        ),
        (
            broken("    answer: Step 1\n", f"    answer: Step{ZERO_WIDTH_SPACE} 1\n"),
            "answer: Step\u200b",
            "visual_quiz[0] (q1).answer",
        ),
    ],
    ids=["command", "title", "id", "accepted", "answers", "items", "answer"],
)
def test_an_invisible_character_in_what_is_typed_matched_or_named_is_refused_at_its_line(
    text, marker, field
):
    (problem,) = problems_in(text)
    assert problem.startswith(f"{SOURCE}:{line_in(text, marker)}: {field}: {INVISIBLE}")
    assert "\\u200b" in problem  # the value is shown with the character made visible


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
    ],
)
def test_a_bidirectional_control_is_refused_in_any_text(char, name):
    text = broken("    definition: A package", f"    definition: A {char}package")
    assert problems_in(text) == [
        f"{SOURCE}:82: glossary[0].definition: expected no bidirectional control characters "
        f"(they change the order text is shown in from the order it is read), got {name} in "
        f"{'A ' + char + 'package of the model and its dependencies.'!r}"
    ]


def lesson_file(tmp_path, text: str) -> Path:
    folder = tmp_path / "docs" / "lessons" / "tiny-lesson"
    folder.mkdir(parents=True)
    (folder / "lesson.yml").write_text(text, encoding="utf-8")
    return folder / "lesson.yml"


def test_an_invisible_character_in_prose_loads_and_is_flagged_at_its_line(tmp_path):
    # A zero-width joiner makes one emoji of two; a soft hyphen is invisible but for a break.
    text = broken(
        "A package of the model", "A package \U0001f469\u200d\U0001f4bb of the mo\u00addel"
    )
    path = lesson_file(tmp_path, text)
    assert load_lesson(path, relative_to=tmp_path).glossary[0].definition.startswith("A package")
    assert loader.lesson_warnings(path, relative_to=tmp_path) == [
        "docs/lessons/tiny-lesson/lesson.yml:82: glossary[0].definition: warning: invisible "
        "format characters U+200D ZERO WIDTH JOINER, U+00AD SOFT HYPHEN in "
        f"{text.splitlines()[81].split(': ', 1)[1]!r} (allowed in prose, where emoji and some "
        "scripts need them: delete any that were pasted by accident)"
    ]


def test_a_byte_order_mark_at_the_start_of_the_file_is_not_part_of_the_lesson(tmp_path):
    path = lesson_file(tmp_path, "\ufeff" + VALID)
    assert load_lesson(path, relative_to=tmp_path).id == "tiny-lesson"
    assert loader.lesson_warnings(path, relative_to=tmp_path) == []


@pytest.mark.parametrize(
    "lesson_file_path",
    sorted((Path(__file__).parents[1] / "docs/lessons").glob("*/lesson.yml")),
    ids=lambda p: p.parent.name,
)
def test_no_lesson_holds_an_invisible_character(lesson_file_path):
    assert loader.lesson_warnings(lesson_file_path, Path(__file__).parents[1]) == []
