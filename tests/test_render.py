"""Renderers are pure functions from models to markup: the markup is the JavaScript's contract."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros import render
from macros.diagrams import Drawing
from macros.field_reference import field_reference, models_in_order
from macros.loader import parse_lesson
from macros.models import QUIZ_SECTIONS, Lesson

FIXTURE = Path(__file__).parent / "fixtures" / "tiny-lesson.yml"


@pytest.fixture
def tiny() -> Lesson:
    return parse_lesson(FIXTURE.read_text(encoding="utf-8"), "tiny.yml", slug="tiny-lesson")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the ids in the fragment."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag=None, **attrs):
        return [
            a
            for t, a in self.tags
            if (tag is None or t == tag)
            and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def test_mermaid_source_has_a_node_per_step_and_an_arrow_per_edge(tiny):
    assert render.mermaid_source(tiny) == (
        'flowchart LR\n  build["Build image"]\n  run["Run container"]\n  build --> run'
    )


def test_mermaid_labels_write_quotes_and_ampersands_as_entity_codes(tiny):
    step = tiny.flow.steps[0].model_copy(update={"label": 'Say "hi" & go #1'})
    flow = tiny.flow.model_copy(update={"steps": [step, tiny.flow.steps[1]]})
    source = render.mermaid_source(tiny.model_copy(update={"flow": flow}))
    assert 'build["Say #34;hi#34; #38; go #35;1"]' in source


def drawings(lr_width: float) -> render.FlowDrawings:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" id="flow-{}" viewBox="0 0 {} 50"/>'
    return render.FlowDrawings(
        Drawing(svg.format("lr", lr_width), lr_width, 50), Drawing(svg.format("tb", 80), 80, 200)
    )


def test_flow_diagram_carries_both_drawings_the_steps_and_the_mermaid_source(tiny):
    markup = render.process_flow(tiny, drawings(500))
    elements = Elements(markup)
    (figure,) = elements.find("figure")
    assert "flow-diagram" in figure["class"].split()
    assert [svg["id"] for svg in elements.find("svg")] == ["flow-lr", "flow-tb"]
    # Screen readers get the steps as a list; the drawings are left out of search.
    assert [a["data-flow-step"] for a in elements.find("li")] == ["build", "run"]
    assert re.findall(r"<li [^>]*>([^<]*)</li>", markup) == ["Build image", "Run container"]
    assert all("data-search-exclude" in d for d in elements.find("div"))
    assert len(elements.find("code")) == 1
    assert html.unescape(re.search(r"<code>(.*?)</code>", markup, re.S)[1]) == (
        render.mermaid_source(tiny)
    )


@pytest.mark.parametrize(
    "width, layout",
    [
        (300, "flow-diagram--lr-from-600"),  # fits any figure that is not a phone's
        (900, "flow-diagram--lr-from-800"),  # 720 px wide at 80%: the next step up
        (1234, "flow-diagram--lr-from-1000"),
        (2100, "flow-diagram--tb-only"),  # no column is wide enough
    ],
)
def test_a_wide_flow_runs_left_to_right_only_where_it_fits(tiny, width, layout):
    (figure,) = Elements(render.process_flow(tiny, drawings(width))).find("figure")
    assert layout in figure["class"].split()


def test_text_is_escaped_and_backticks_become_code():
    assert (
        render.inline("Run `a <b>` & <i>go</i>")
        == "Run <code>a &lt;b&gt;</code> &amp; &lt;i&gt;go&lt;/i&gt;"
    )


def test_process_table_rows_carry_the_anchors_references_link_to(tiny):
    elements = Elements(render.process_table(tiny))
    assert [a["id"] for a in elements.find("tr") if "id" in a] == [
        "process-step-1",
        "process-step-2",
    ]


def test_status_tracker_has_a_cell_anchor_per_variable_and_stage(tiny):
    elements = Elements(render.status_tracker(tiny))
    assert [a["id"] for a in elements.find("td")] == [
        "tracker-model-environment-start",
        "tracker-model-environment-after-build",
    ]


def test_key_moment_references_are_links_to_table_rows(tiny):
    markup = render.key_moments(tiny)
    assert '<a href="#process-step-1">process table, step 1</a>' in markup
    assert 'id="key-moment-why-package"' in markup


def test_question_is_a_fieldset_with_a_legend_and_native_radios(tiny):
    markup = render.question_block(tiny, tiny.visual_quiz[0], 1)
    elements = Elements(markup)
    assert elements.find("fieldset") and elements.find("legend")
    radios = elements.find("input", type="radio")
    assert [r["name"] for r in radios] == ["question-q1", "question-q1"]
    assert [r["value"] for r in radios] == ["0", "1"]


def test_question_marks_the_correct_option_for_the_script(tiny):
    elements = Elements(render.question_block(tiny, tiny.visual_quiz[0], 1))
    assert [a["data-correct"] for a in elements.find("label", **{"class": "quiz-option"})] == [
        "true",
        "false",
    ]
    (item,) = elements.find("li", data_question_id="q1")
    assert item["data-difficulty"] == "easy" and item["data-question-type"] == "single-choice"


def test_answer_hint_and_explanations_sit_inside_details(tiny):
    markup = render.question_block(tiny, tiny.visual_quiz[0], 1)
    answer = markup[markup.index("data-quiz-answer") :]
    answer = answer[: answer.index("</details>")]
    assert "<strong>Answer:</strong> Step 1" in answer
    assert "data-option-letter" not in markup  # letters are site.css counters
    assert 'data-explanation-for="1"' in answer and "Step 2 runs the image." in answer
    hint = markup[markup.index("data-quiz-hint") :]
    assert hint[: hint.index("</details>")].count('href="#process-step-1"') == 1


def test_solution_shows_steps_final_answer_and_quick_check():
    lesson_text = FIXTURE.read_text(encoding="utf-8").replace(
        "    hint_refs:\n      - table_row: 1\nconcept_snapshot",
        "    hint_refs:\n      - table_row: 1\n    solution:\n      steps:\n        - title: Read row 1\n"
        "          text: It builds the image.\n      quick_check: Build comes first.\n"
        "    common_mistakes:\n      - Picking the run step\nconcept_snapshot",
    )
    lesson = parse_lesson(lesson_text, "tiny.yml", slug="tiny-lesson")
    markup = render.question_block(lesson, lesson.visual_quiz[0], 1)
    solution = markup[markup.index("data-quiz-solution") :]
    assert "<strong>Read row 1.</strong> It builds the image." in solution
    assert "Final answer:</strong> Step 1" in solution
    assert "Quick check:</strong> Build comes first." in solution
    assert "<li>Picking the run step</li>" in solution


def test_quiz_wraps_questions_in_a_module_with_its_section(tiny):
    elements = Elements(render.quiz(tiny, "test_bank"))
    (quiz,) = elements.find("div", data_module="quiz")
    assert quiz["data-quiz"] == "test_bank" and quiz["data-question-count"] == "10"
    assert len(elements.find("fieldset")) == 10


def test_catalog_card_shows_title_time_difficulty_and_tags(tiny):
    markup = render.lesson_catalog([(tiny, "lessons/tiny-lesson/")])
    assert '<a href="lessons/tiny-lesson/">A tiny lesson</a>' in markup
    assert "About 5 min" in markup and ">easy<" in markup
    assert '<li class="lesson-tag">containers</li>' in markup


def test_execution_sample_is_a_highlighted_code_block_in_html(tiny):
    markup = render.execution_sample(tiny)
    assert markup.startswith('<div class="execution-sample"><div class="language-bash highlight">')
    assert "```" not in markup
    code = re.search(r"<pre><span></span><code>(.*?)</code></pre>", markup, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", code) == "docker build -t tiny:1.0 .\n"


def test_field_reference_documents_every_field_of_every_model():
    reference = field_reference(Lesson)
    for model in models_in_order(Lesson):
        assert f'<h3 id="schema-{model.__name__.lower()}">' in reference
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"
            assert f"| `{info.alias or name}` |" in reference
    assert "| `from` | id (kebab-case) | yes |" in reference
    assert "one of `easy`, `medium`, `hard`" in reference


# Interactive question types


def tiny_with(question_yaml: str) -> Lesson:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "test_bank:\n", question_yaml + "test_bank:\n"
    )
    return parse_lesson(text, "tiny.yml", slug="tiny-lesson")


def test_multiple_choice_uses_checkboxes_and_marks_every_correct_option():
    lesson = tiny_with(
        "  - id: mc\n    type: multiple-choice\n    difficulty: medium\n    prompt: Which?\n"
        "    options:\n      - text: Code\n      - text: Kernel\n        why_wrong: Host's.\n"
        "      - text: Libraries\n    answers: [Code, Libraries]\n    explanation: User space.\n"
        "    hint: Layers.\n"
    )
    markup = render.question_block(lesson, lesson.practice[1], 2)
    elements = Elements(markup)
    assert [a["type"] for a in elements.find("input")] == ["checkbox"] * 3
    assert [a["data-correct"] for a in elements.find("label", **{"class": "quiz-option"})] == [
        "true",
        "false",
        "true",
    ]
    assert "Select all that apply." in markup
    # One option per line: each option is a sentence with its own full stop, so no "A. ….; C. …."
    # and named by its words, not by a letter a shuffle would change.
    assert (
        '<strong>Answers:</strong></p><ul class="quiz-question__correct-options">'
        "<li>Code</li><li>Libraries</li></ul>"
    ) in markup
    assert [
        a["data-explanation-for"] for a in elements.find("li") if "data-explanation-for" in a
    ] == ["1"]


def test_ordering_shows_items_scrambled_and_the_right_order_in_the_answer():
    lesson = tiny_with(
        "  - id: order\n    type: ordering\n    difficulty: easy\n    prompt: Order.\n"
        "    items: [First, Second, Third, Fourth]\n    explanation: In order.\n    hint: Start.\n"
    )
    markup = render.question_block(lesson, lesson.practice[1], 2)
    elements = Elements(markup)
    shown = [int(a["data-order-item"]) for a in elements.find("li") if "data-order-item" in a]
    assert sorted(shown) == [0, 1, 2, 3] and shown != [0, 1, 2, 3]
    answer = markup[markup.index("data-correct-order") :]
    assert re.findall(r"<li>([^<]*)</li>", answer) == ["First", "Second", "Third", "Fourth"]


def test_scrambled_order_is_stable_and_never_the_answer():
    for count in range(2, 9):
        for seed in ("a", "b", "order-the-flow"):
            order = render.scrambled_order(seed, count)
            assert sorted(order) == list(range(count))
            assert order != list(range(count))
            assert order == render.scrambled_order(seed, count)


def test_short_answer_is_a_labelled_text_field_with_every_accepted_answer_in_the_details():
    lesson = tiny_with(
        "  - id: typed\n    type: short-answer\n    difficulty: easy\n    prompt: Build it.\n"
        "    answer: docker build -t x .\n    accepted: [docker build --tag x .]\n"
        "    explanation: Build.\n    hint: Tag.\n"
    )
    markup = render.question_block(lesson, lesson.practice[1], 2)
    (field,) = Elements(markup).find("input")
    assert field["type"] == "text" and field["name"] == "question-typed"
    assert "data-quiz-text-answer" in field
    assert re.search(r"<label[^>]*>.*Your answer.*<input", markup)
    assert re.findall(r"<code data-accepted-answer>([^<]*)</code>", markup) == [
        "docker build -t x .",
        "docker build --tag x .",
    ]


@pytest.mark.parametrize("section", QUIZ_SECTIONS)
def test_every_quiz_knows_the_whole_lessons_questions_and_its_test_length(tiny, section):
    # The test bank is on another page than the other quizzes; either page saves progress for all.
    (quiz,) = Elements(render.quiz(tiny, section)).find("div", data_module="quiz")
    every = [q.id for name in QUIZ_SECTIONS for q in getattr(tiny, name)]
    kept = [q.id for q in [*tiny.visual_quiz, *tiny.practice]]
    assert quiz["data-lesson-questions"].split() == every
    assert quiz["data-kept-questions"].split() == kept
    assert quiz["data-test-length"] == str(min(10, len(tiny.test_bank)))


def test_references_from_the_test_page_lead_back_to_the_lesson_page(tiny):
    question = next(q for q in tiny.test_bank if q.hint_refs)
    on_lesson = Elements(render.question_block(tiny, question, 1)).find("a")
    on_test = Elements(render.question_block(tiny, question, 1, "../")).find("a")
    assert [a["href"] for a in on_test] == ["../" + a["href"] for a in on_lesson]
    assert all(a["href"].startswith("#") for a in on_lesson)


def test_the_test_link_says_how_long_the_test_is_and_leads_to_its_page(tiny):
    (link,) = Elements(render.test_link(tiny, "test/")).find("a")
    assert link["href"] == "test/"
    text = " ".join(re.sub(r"<[^>]+>", " ", render.test_link(tiny, "test/")).split())
    assert f"{min(10, len(tiny.test_bank))} questions" in text
    assert f"drawn from {len(tiny.test_bank)}" in text


def test_unknown_quiz_section_is_an_error(tiny):
    with pytest.raises(
        ValueError, match="expected one of visual_quiz, practice, test_bank, got 'quizz'"
    ):
        render.quiz(tiny, "quizz")


def test_progress_widget_is_empty_and_hidden_until_the_script_fills_it(tiny):
    (widget,) = Elements(render.lesson_meta(tiny)).find("div", data_module="lesson-progress")
    assert widget["data-lesson"] == "tiny-lesson"
    assert widget["data-question-count"] == str(1 + 1 + 10)
    assert "hidden" in widget
    card = render.lesson_catalog([(tiny, "lessons/tiny-lesson/")])
    assert Elements(card).find("div", data_module="lesson-progress")


def test_every_progress_line_knows_the_lessons_questions_and_how_long_a_test_run_can_be(tiny):
    # The home page's card has no quiz beside it to learn them from, and must count stored
    # progress as the lesson page does. Tiny's test bank: 4 easy, 3 medium and 3 hard questions.
    every = [q.id for name in QUIZ_SECTIONS for q in getattr(tiny, name)]
    kept = [q.id for q in [*tiny.visual_quiz, *tiny.practice]]
    card = render.lesson_catalog([(tiny, "lessons/tiny-lesson/")])
    for markup in (render.lesson_meta(tiny), card):
        (widget,) = Elements(markup).find("div", data_module="lesson-progress")
        assert widget["data-lesson-questions"].split() == every
        assert widget["data-kept-questions"].split() == kept
        assert widget["data-test-runs"].split() == ["3", "4", "10"]


# Step-through, learning modes, glossary, flashcards, cheat sheet


def test_step_through_lists_every_step_with_what_it_highlights(tiny):
    elements = Elements(render.step_through(tiny))
    (root,) = elements.find("div", data_module="step-through")
    assert root["data-step-count"] == "2"
    steps = elements.find("li", **{"class": "step-through__step"})
    assert [(s["id"], s["data-flow-steps"], s["data-tracker-stage"]) for s in steps] == [
        ("step-through-1", "build", "after-build"),
        ("step-through-2", "run", "after-build"),
    ]


def test_first_step_is_compared_with_the_tracker_column_before_its_own(tiny):
    previous, changes = render.step_changes(tiny, 0)
    assert previous == "start"
    assert [(c.label, c.before, c.after, c.changed) for c in changes] == [
        ("Model environment", "Host OS", "Packaged", True)
    ]
    assert "<strong>Model environment</strong> changed: Host OS → Packaged" in render.step_through(
        tiny
    )


def test_a_step_that_stays_on_the_previous_stage_changes_nothing(tiny):
    previous, changes = render.step_changes(tiny, 1)
    assert previous == "after-build"
    assert not any(change.changed for change in changes)
    second = render.step_through(tiny).split('id="step-through-2"')[1]
    assert "Nothing in the tracker changed." in second
    assert 'data-changed="false"' in second


def test_a_first_step_on_the_first_stage_has_nothing_to_compare_with(tiny):
    rows = [tiny.process_table.rows[0].model_copy(update={"tracker_stage": "start"})]
    lesson = tiny.model_copy(
        update={"process_table": tiny.process_table.model_copy(update={"rows": rows})}
    )
    previous, changes = render.step_changes(lesson, 0)
    assert previous is None
    assert changes[0].before is None
    # Where the tracker starts, no value has changed (every cell was badged "changed").
    assert not any(change.changed for change in changes)
    first = render.step_through(lesson)
    assert 'data-previous-stage=""' in first
    assert 'data-changed="true"' not in first
    assert "<strong>Model environment</strong>: Host OS (where it starts)" in first
    assert "The tracker starts here." in first


def test_mode_picker_offers_every_mode_linking_to_its_first_section(tiny):
    links = Elements(render.mode_picker(tiny)).find("a")
    assert [a["data-mode"] for a in links] == [mode.id for mode in render.LEARNING_MODES]
    assert len(links) >= 8
    for link, mode in zip(links, render.LEARNING_MODES, strict=True):
        assert link["data-mode-sections"] == " ".join(mode.sections)
        assert link["href"] == "#" + (mode.sections[0] if mode.sections else "process-flow")


def test_only_the_full_lesson_mode_shows_every_section():
    full, *others = render.LEARNING_MODES
    assert full.sections == ()
    assert all(mode.sections for mode in others)
    assert len({mode.id for mode in render.LEARNING_MODES}) == len(render.LEARNING_MODES)


def test_glossary_is_sorted_by_term_with_an_anchor_per_entry(tiny):
    extra = tiny.glossary[0].model_copy(update={"id": "engine", "term": "Engine", "forms": []})
    lesson = tiny.model_copy(update={"glossary": [tiny.glossary[0], extra]})
    markup = render.glossary(lesson)
    assert [a["id"] for a in Elements(markup).find("div")] == ["glossary-engine", "glossary-image"]


def test_flashcards_are_key_moments_then_snapshot_lines_then_limits_then_terms(tiny):
    deck = render.flashcard_deck(tiny)
    assert [(card.id, card.kind) for card in deck] == [
        ("key-moment-why-package", "key-moment"),
        ("snapshot-1", "snapshot"),
        ("limit-kernel", "limit"),
        ("term-image", "term"),
    ]
    assert deck[2].front == "The kernel: where does it come from, and what can break?"
    assert (
        deck[2].back
        == "The host. A missing system call fails. Guard: Test on the production kernel."
    )
    assert deck[1].front == "What do containers package?"
    assert deck[1].back == "Containers package models."


def test_every_flashcard_answer_is_inside_details(tiny):
    markup = render.flashcards(tiny)
    cards = markup.split('<li class="flashcard"')[1:]
    assert len(cards) == 4  # a key moment, a snapshot line, a limit and a term
    for card in cards:
        front, back = card.split("<details", 1)
        assert "flashcard__front" in front
        assert "<summary>Show the answer</summary>" in back


def test_cheat_sheet_summarises_snapshot_flow_commands_tables_and_terms(tiny):
    markup = render.cheat_sheet(tiny)
    for text in (
        "Containers package models.",
        "<li>Build image</li><li>Run container</li>",
        "docker build -t tiny:1.0 .",
        "<td>Build container image</td>",
        "<td>Packaged</td>",
        "<dt>image</dt>",
    ):
        assert text in markup
    assert ' id="' not in markup  # it repeats the lesson: no anchor may be repeated with it


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("A movable name. Here it is `3.12-slim`.", "A movable name."),
        ("One sentence, `a. B` inside code. Then more.", "One sentence, `a. B` inside code."),
        ("Pinned with `numpy==2.3.5`. Later releases wait.", "Pinned with `numpy==2.3.5`."),
        (
            "No capital after the stop: e.g. this stays.",
            "No capital after the stop: e.g. this stays.",
        ),
        ("Just one sentence", "Just one sentence"),
    ],
)
def test_first_sentence_ends_at_a_stop_before_a_capital_outside_code(text, first):
    assert render.first_sentence(text) == first


def test_the_cheat_sheet_gives_each_term_the_first_sentence_of_its_definition(tiny):
    entry = tiny.glossary[0]
    longer = entry.model_copy(update={"definition": "What it is. What this lesson does with it."})
    lesson = tiny.model_copy(update={"glossary": [longer, *tiny.glossary[1:]]})
    markup = render.cheat_sheet(lesson)
    assert "<dd>What it is.</dd>" in markup
    assert "What this lesson does with it." not in markup
