"""The first lesson carries the seed lesson's structure, facts and correct answers.

The expected values below are the seed's (shared/seed/containers-portability-lesson.txt).
"""

import html
import json
import re
from pathlib import Path

import pytest

from macros.loader import load_lessons
from tests.conftest import ROOT

SEED_TABLE = [
    (
        1,
        "Build container image",
        "Image 'ml-model:1.0' created",
        "Image includes model + dependencies",
    ),
    (
        2,
        "Run container locally",
        "Container starts, model runs",
        "Isolated environment, no host conflicts",
    ),
    (
        3,
        "Run container on cloud",
        "Container starts, model runs same",
        "Same isolated environment on cloud",
    ),
    (
        4,
        "Run container on colleague's PC",
        "Container starts, model runs same",
        "Same isolated environment on PC",
    ),
    (
        5,
        "Change host OS or setup",
        "No effect on container behavior",
        "Container environment unchanged",
    ),
]
SEED_TRACKER = {
    "model-environment": [
        "Host OS + local libs",
        "Packaged in container image",
        "Isolated container env",
        "Isolated container env",
        "Isolated container env",
    ],
    "model-output": ["N/A", "N/A", "Consistent output", "Consistent output", "Consistent output"],
}
SEED_PRACTICE_ANSWERS = ["A", "A", "B", "D", "C"]


@pytest.fixture(scope="module")
def lesson():
    return load_lessons(ROOT / "docs", ROOT)["containers-portability"]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_lesson_metadata_matches_the_seed_header(lesson):
    assert lesson.title == "Why containers make ML deployment portable"
    assert (lesson.category.area, lesson.category.topic) == ("MLOps", "devops")
    assert lesson.minutes == 10


def test_process_flow_has_the_five_seed_steps_in_a_line(lesson):
    assert [step.label.lower() for step in lesson.flow.steps] == [
        "develop ml model",
        "package model + dependencies",
        "create container image",
        "run container anywhere",
        "consistent environment & output",
    ]
    ids = [step.id for step in lesson.flow.steps]
    assert [(edge.source, edge.target) for edge in lesson.flow.edges] == list(
        zip(ids, ids[1:], strict=False)
    )


def test_execution_sample_is_the_seed_commands(lesson):
    assert [c.command for c in lesson.execution_sample.commands] == [
        "docker build -t ml-model:1.0 .",
        "docker run ml-model:1.0",
    ]


def test_process_table_is_the_seed_table(lesson):
    rows = [(r.step, r.action, r.result, r.environment_state) for r in lesson.process_table.rows]
    assert [tuple(c.lower() if isinstance(c, str) else c for c in row) for row in rows] == [
        tuple(c.lower() if isinstance(c, str) else c for c in row) for row in SEED_TABLE
    ]


def test_status_tracker_is_the_seed_tracker(lesson):
    tracker = lesson.status_tracker
    assert [s.id for s in tracker.stages] == [
        "start",
        "after-build",
        "after-run-local",
        "after-run-cloud",
        "after-run-pc",
    ]
    assert {
        v.id: [v.values[s.id] for s in tracker.stages] for v in tracker.variables
    } == SEED_TRACKER


def test_key_moments_point_at_the_rows_the_seed_points_at(lesson):
    seed_moments = lesson.key_moments[:3]
    rows = [[ref.table_row for ref in m.refs if ref.table_row] for m in seed_moments]
    assert rows == [[2, 3, 4], [5], [1]]


def test_the_key_moment_on_host_changes_links_to_what_the_image_does_not_carry(lesson):
    moment = next(m for m in lesson.key_moments if m.id == "host-os-changes")
    assert {ref.limit for ref in moment.refs} >= {"kernel", "architecture"}


def test_visual_quiz_keeps_the_seed_answers_and_hint_targets(lesson):
    quiz = lesson.visual_quiz
    assert [q.answer for q in quiz][:2] == ["Step 1", "Isolated container env"]
    assert "fail" in quiz[2].answer.lower()
    assert quiz[0].hint_refs[0].table_row == 1
    cell = quiz[1].hint_refs[0].tracker_cell
    assert (cell.variable, cell.stage) == ("model-environment", "after-run-cloud")
    assert quiz[2].hint_refs[0].key_moment == "why-package-dependencies"


def test_practice_keeps_the_seed_questions_and_answer_letters_first(lesson):
    seed_questions = lesson.practice[: len(SEED_PRACTICE_ANSWERS)]
    assert {q.type for q in seed_questions} == {"single-choice"}
    letters = ["ABCDEF"[[o.text for o in q.options].index(q.answer)] for q in seed_questions]
    assert letters == SEED_PRACTICE_ANSWERS
    assert [q.difficulty for q in seed_questions] == ["easy", "easy", "easy", "medium", "medium"]
    assert seed_questions[1].answer == "docker build -t ml-model:latest ."
    assert all(q.solution and q.common_mistakes for q in seed_questions)


@pytest.mark.parametrize("kind", ["multiple-choice", "ordering", "short-answer"])
def test_lesson_has_questions_of_each_interactive_type(lesson, kind):
    assert any(q.type == kind for q in lesson.practice)
    assert any(q.type == kind for q in lesson.test_bank)


def test_ordering_question_puts_the_flow_steps_in_order(lesson):
    (question,) = [q for q in lesson.practice if q.type == "ordering"]
    assert question.items == [step.label for step in lesson.flow.steps]


def test_build_command_short_answer_is_the_execution_sample_command(lesson):
    (question,) = [q for q in lesson.practice if q.type == "short-answer"]
    assert question.answer == lesson.execution_sample.commands[0].command


def test_concept_snapshot_has_five_lines(lesson):
    assert len(lesson.concept_snapshot) == 5


def test_lesson_page_shows_every_seed_section_and_the_learning_aids(built_site):
    page = built_site.page("lessons/containers-portability")
    headings = [text_of(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert [h.rstrip("¶") for h in headings] == [
        "Process flow",
        "Execution sample",
        "Process table",
        "Status tracker",
        "Hands-on: run the example",
        "What the image does not carry",
        "Key moments",
        "Visual quiz",
        "Concept snapshot",
        "Full transcript",
        "Glossary",
        "Practice",
        "Test this pattern",
        "Flashcards",
        "Cheat sheet",
    ]


@pytest.mark.parametrize(
    "term",
    [
        *["image", "container", "dependency", "host", "container engine", "tag"],
        *["digest", "layer", "base image", "build context", "registry", "multi-platform image"],
        "kernel",
    ],
)
def test_glossary_defines_the_terms_the_lesson_is_built_on(lesson, term):
    assert term in [entry.term for entry in lesson.glossary]


def test_step_through_walks_the_seed_stages_in_order(lesson):
    stages = [row.tracker_stage for row in lesson.process_table.rows]
    assert stages == [
        "after-build",
        "after-run-local",
        "after-run-cloud",
        "after-run-pc",
        "after-run-pc",
    ]
    assert "create-image" in lesson.process_table.rows[0].flow_steps
    assert lesson.process_table.rows[-1].flow_steps == ["consistent-output"]


def test_changing_the_host_changes_nothing_in_the_tracker(lesson):
    from macros.render import step_changes

    *_, last = lesson.process_table.rows
    assert "no effect" in last.result.lower()
    _, changes = step_changes(lesson, len(lesson.process_table.rows) - 1)
    assert not any(change.changed for change in changes)


def test_lesson_page_shows_the_seed_facts(built_site):
    page = text_of(built_site.page("lessons/containers-portability")).lower()
    for row in SEED_TABLE:
        for cell in row[1:]:
            assert cell.lower() in page
    for values in SEED_TRACKER.values():
        for value in values:
            assert value.lower() in page
    assert "docker build -t ml-model:1.0 ." in page
    assert "docker run ml-model:1.0" in page


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ml-model"


def test_consistent_output_row_links_to_the_hands_on_run(built_site):
    page = built_site.page("lessons/containers-portability")
    tracker = page[page.index("lesson-table--tracker") :]
    row = tracker[tracker.index('data-variable="model-output"') :]
    assert '<a class="lesson-table__evidence" href="#hands-on">' in row[: row.index("</th>")]
    assert 'id="hands-on"' in page


# What the lesson claims, held to what is true


def test_the_limits_table_names_what_the_image_does_not_carry(lesson):
    assert [row.id for row in lesson.limits.rows] == [
        *["kernel", "architecture", "cpu-features", "gpu-driver"],
        *["data", "services", "clock", "resources"],
    ]
    assert lesson.limits.title == "What the image does not carry"


def test_the_parts_a_reader_meets_first_say_what_the_host_still_supplies(lesson):
    snapshot = " ".join(line.text for line in lesson.concept_snapshot)
    for name, text in [
        ("summary", lesson.summary),
        ("flow caption", lesson.flow.caption),
        ("process table takeaway", lesson.process_table.takeaway),
        ("concept snapshot", snapshot),
        ("transcript", lesson.transcript),
        ("limits intro", lesson.limits.intro),
    ]:
        assert "kernel" in text, f"the {name} does not qualify where the image runs"


def test_what_the_review_found_wrong_is_no_longer_said(built_site):
    page = " ".join(text_of(built_site.page("lessons/containers-portability")).split())
    for claim in [
        "to the last digit",  # the example compares to 4 decimals
        "behave identically",
        "the one thing every host must have",
        "each host supplies its own",  # a container never sees the host's libraries
        "restarts an existing",  # docker start starts a stopped container again
        "always comes first",  # this project's own Dockerfile starts with ARG
        "/app/predictions.csv",  # the model's user cannot write to /app
        "different on every machine",
    ]:
        assert claim not in page, claim


def test_the_practice_answer_on_trained_parameters_is_what_the_dockerfile_does(lesson):
    question = next(q for q in lesson.practice if q.id == "pr-what-the-image-carries")
    assert "The model code and its trained parameters." in question.answers
    dockerfile = (EXAMPLE / "Dockerfile").read_text(encoding="utf-8")
    assert "RUN python model.py train" in dockerfile
    assert 'CMD ["python", "model.py", "predict"]' in dockerfile


def test_the_hands_on_asks_for_a_prediction_before_it_shows_the_two_reports(built_site):
    page = built_site.page("lessons/containers-portability")
    section = page[page.index('id="hands-on-predict"') : page.index('id="hands-on-ci"')]
    question = section.index("Before you open them")
    reports = section.index("<details", question)
    assert section.index("reports/linux-amd64.json") > reports
    assert section.index("reports/linux-arm64.json") > reports
    answer = section.index("Which fields differ, and why")
    assert "<details" in section[section.rindex("<details", 0, answer) : answer]


def test_the_two_reports_have_the_same_predictions_and_different_architectures():
    reports = [
        json.loads((EXAMPLE / "reports" / f"linux-{arch}.json").read_text(encoding="utf-8"))
        for arch in ("amd64", "arm64")
    ]
    expected = json.loads((EXAMPLE / "expected-output.json").read_text(encoding="utf-8"))
    assert [r["predictions"] for r in reports] == [expected["predictions"]] * 2
    assert [r["environment"]["architecture"] for r in reports] == ["x86_64", "aarch64"]
    for field in ("python", "numpy", "system", "kernel_release"):
        assert reports[0]["environment"][field] == reports[1]["environment"][field], field
