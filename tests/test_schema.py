"""The JSON Schema and the Markdown field reference in schema/ are generated from the models,
kept current (`make schema`), and describe the YAML as authors write it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from macros.json_schema import (
    FIELDS_FILE,
    SCHEMA_FILE,
    generated_files,
    lesson_json_schema,
    schema_comment,
)
from tests.conftest import ROOT

LESSON_FILES = sorted((ROOT / "docs" / "lessons").glob("*/lesson.yml"))
VALIDATOR = jsonschema.Draft202012Validator(lesson_json_schema())


def errors(data) -> list[str]:
    return [
        "/".join(map(str, error.absolute_path)) + f": {error.message}"
        for error in VALIDATOR.iter_errors(data)
    ]


@pytest.fixture
def real(lesson_files) -> dict:
    """Each real lesson's data in turn, as YAML gives it to an editor."""
    return yaml.safe_load((ROOT / lesson_files.data).read_text("utf-8"))


def broken(real: dict, change) -> dict:
    data = copy.deepcopy(real)
    change(data)
    return data


@pytest.mark.parametrize("name", [SCHEMA_FILE, FIELDS_FILE])
def test_the_committed_file_is_what_the_models_generate_now(name):
    committed = (ROOT / name).read_text(encoding="utf-8")
    assert committed == generated_files()[name], f"{name} is stale: run `make schema`"


def test_the_generated_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(generated_files()[SCHEMA_FILE]))


def test_the_schema_accepts_each_real_lesson(real):
    assert errors(real) == []


def test_the_schema_rejects_an_unknown_key(real):
    data = broken(real, lambda d: d["visual_quiz"][0]["options"][1].update(whyy_wrong="typo"))
    assert any("whyy_wrong" in e and "visual_quiz/0" in e for e in errors(data))


def test_the_schema_rejects_a_wrong_type(real):
    assert errors(broken(real, lambda d: d.update(minutes="10"))) == [
        "minutes: '10' is not of type 'integer'"
    ]


def test_the_schema_rejects_a_missing_required_field(real):
    assert errors(broken(real, lambda d: d.pop("summary"))) == [
        ": 'summary' is a required property"
    ]


def test_flow_edges_are_written_with_from_and_to(real):
    assert errors(broken(real, lambda d: d["flow"]["edges"][0].pop("to"))) == [
        "flow/edges/0: 'to' is a required property"
    ]


def test_a_question_without_a_type_is_a_single_choice_one(real):
    question = next(q for q in real["visual_quiz"] if "type" not in q)
    assert "answer" in question
    assert errors(broken(real, lambda d: d["visual_quiz"][0].update(type="single-choice"))) == []


def test_a_question_of_an_unknown_type_is_rejected(real):
    assert errors(broken(real, lambda d: d["practice"][0].update(type="essay"))) != []


def test_a_multiple_choice_question_needs_answers_not_answer(real):
    def change(data):
        question = next(q for q in data["test_bank"] if q.get("type") == "multiple-choice")
        question["answer"] = question.pop("answers")[0]

    assert errors(broken(real, change)) != []


def test_a_reference_with_two_targets_is_rejected(real):
    data = broken(real, lambda d: d["key_moments"][0]["refs"][0].update(table_row=1, flow_step="x"))
    assert errors(data) != []


def test_a_tracker_value_keyed_by_something_that_is_not_an_id_is_rejected(real):
    data = broken(
        real, lambda d: d["status_tracker"]["variables"][0]["values"].update({"Not An Id": "x"})
    )
    assert errors(data) != []


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.parent.name)
def test_every_lesson_file_starts_by_pointing_editors_at_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == schema_comment(path.relative_to(ROOT).as_posix())
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (ROOT / SCHEMA_FILE).resolve()


def test_every_link_in_the_field_reference_lands_on_a_heading():
    text = (ROOT / FIELDS_FILE).read_text(encoding="utf-8")
    headings = {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    }
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links and links <= headings, links - headings


def test_readme_links_the_field_reference():
    assert f"]({FIELDS_FILE})" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_json_schema_path_in_the_lesson_file_comment_is_relative(tmp_path):
    assert schema_comment("docs/lessons/x/lesson.yml") == (
        "# yaml-language-server: $schema=../../../schema/lesson.schema.json"
    )
    assert not Path(SCHEMA_FILE).is_absolute()
