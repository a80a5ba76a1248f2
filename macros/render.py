"""Pure renderers: each takes models and returns HTML or Markdown. No I/O, no globals.

The HTML here is the contract with the JavaScript in docs/assets/javascripts/: widgets are found
by `data-module`, their state lives in `data-*` attributes, and every block reads in full with
JavaScript off (all steps listed, answers inside `<details>`).
"""

from __future__ import annotations

import hashlib
import html
import re
import string
from collections.abc import Iterable

from .models import (
    QUIZ_SECTIONS,
    Lesson,
    MultipleChoice,
    Ordering,
    Question,
    Reference,
    SingleChoice,
)

OPTION_LETTERS = string.ascii_uppercase
TEST_LENGTH = 10  # questions drawn from the test bank for one "Test this pattern" run


# Anchors. Every link a renderer emits is built from these, so a link and its target agree.
def table_row_anchor(step: int) -> str:
    return f"process-step-{step}"


def tracker_cell_anchor(variable: str, stage: str) -> str:
    return f"tracker-{variable}-{stage}"


def key_moment_anchor(moment_id: str) -> str:
    return f"key-moment-{moment_id}"


def flow_step_anchor(step_id: str) -> str:
    return f"flow-step-{step_id}"


def question_anchor(question_id: str) -> str:
    return f"question-{question_id}"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """Escape text for HTML, turning `backticks` into <code>."""
    parts = _CODE_SPAN.split(text)
    return "".join(
        f"<code>{html.escape(part)}</code>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )


def attr(value: str) -> str:
    return html.escape(value, quote=True).replace("\n", "&#10;")


def paragraphs(text: str) -> str:
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "".join(f"<p>{inline(' '.join(block.split()))}</p>" for block in blocks)


# Header and catalog


def lesson_meta(lesson: Lesson) -> str:
    tags = "".join(f'<li class="lesson-tag">{html.escape(tag)}</li>' for tag in lesson.tags)
    return (
        f'<div class="lesson-meta" data-lesson="{attr(lesson.id)}">'
        f'<p class="lesson-meta__facts">'
        f'<span class="lesson-meta__category">{inline(lesson.category.area)} · {inline(lesson.category.topic)}</span> '
        f'<span class="lesson-meta__time">About {lesson.minutes} minutes</span> '
        f'<span class="lesson-meta__difficulty" data-difficulty="{lesson.difficulty}">Difficulty: {lesson.difficulty}</span>'
        f"</p>"
        f'<p class="lesson-meta__summary">{inline(lesson.summary)}</p>'
        f'<ul class="lesson-tags" aria-label="Tags">{tags}</ul>'
        f"{progress_widget(lesson)}"
        f"</div>"
    )


def lesson_catalog(entries: Iterable[tuple[Lesson, str]]) -> str:
    """`entries` pairs each lesson with the URL of its page, relative to the catalog's page."""
    cards = []
    for lesson, url in entries:
        tags = "".join(f'<li class="lesson-tag">{html.escape(tag)}</li>' for tag in lesson.tags)
        cards.append(
            f'<li class="lesson-card" data-lesson="{attr(lesson.id)}">'
            f'<h3 class="lesson-card__title"><a href="{attr(url)}">{inline(lesson.title)}</a></h3>'
            f'<p class="lesson-card__summary">{inline(lesson.summary)}</p>'
            f'<dl class="lesson-card__facts">'
            f"<div><dt>Topic</dt><dd>{inline(lesson.category.area)} · {inline(lesson.category.topic)}</dd></div>"
            f"<div><dt>Time</dt><dd>About {lesson.minutes} min</dd></div>"
            f'<div><dt>Difficulty</dt><dd data-difficulty="{lesson.difficulty}">{lesson.difficulty}</dd></div>'
            f"</dl>"
            f'<ul class="lesson-tags" aria-label="Tags">{tags}</ul>'
            f"{progress_widget(lesson)}"
            f"</li>"
        )
    if not cards:
        return '<p class="lesson-catalog lesson-catalog--empty">No lessons yet.</p>'
    return f'<ul class="lesson-catalog">{"".join(cards)}</ul>'


# Process flow


def mermaid_source(lesson: Lesson, direction: str = "LR") -> str:
    """Mermaid flowchart text generated from the flow data."""

    def node(step_id: str) -> str:
        return step_id.replace("-", "_")

    def label(text: str) -> str:
        # Mermaid reads entity codes as #name; so quotes and ampersands survive inside labels.
        return text.replace("&", "#amp;").replace('"', "#quot;")

    lines = [f"flowchart {direction}"]
    lines += [f'  {node(step.id)}["{label(step.label)}"]' for step in lesson.flow.steps]
    for edge in lesson.flow.edges:
        arrow = f'-->|"{label(edge.label)}"|' if edge.label else "-->"
        lines.append(f"  {node(edge.source)} {arrow} {node(edge.target)}")
    return "\n".join(lines)


def process_flow(lesson: Lesson) -> str:
    steps = "".join(
        f'<li id="{flow_step_anchor(step.id)}" data-flow-step="{attr(step.id)}">{inline(step.label)}</li>'
        for step in lesson.flow.steps
    )
    return (
        f'<figure class="flow-diagram" data-module="flow-diagram" data-state="source" '
        f'data-diagram-source="{attr(mermaid_source(lesson))}">'
        f'<ol class="flow-diagram__steps">{steps}</ol>'
        f'<div class="flow-diagram__canvas" aria-hidden="true" hidden></div>'
        f'<figcaption class="flow-diagram__caption">{inline(lesson.flow.caption)}</figcaption>'
        f"</figure>"
    )


# Execution sample (Markdown, so Material highlights it and adds its copy button)


def execution_sample(lesson: Lesson) -> str:
    sample = lesson.execution_sample
    commands = "\n".join(command.command for command in sample.commands)
    explained = "\n".join(
        f"- <code>{html.escape(command.command)}</code>: {inline(command.explanation)}"
        for command in sample.commands
    )
    return f"```bash\n{commands}\n```\n\n{explained}\n\n{inline(sample.caption)}\n"


# Tables


def process_table(lesson: Lesson) -> str:
    rows = "".join(
        f'<tr id="{table_row_anchor(row.step)}" data-step="{row.step}">'
        f'<th scope="row">{row.step}</th><td>{inline(row.action)}</td>'
        f"<td>{inline(row.result)}</td><td>{inline(row.environment_state)}</td></tr>"
        for row in lesson.process_table.rows
    )
    return (
        '<div class="lesson-table lesson-table--process">'
        "<table><thead><tr>"
        '<th scope="col">Step</th><th scope="col">Action</th>'
        '<th scope="col">Result</th><th scope="col">Environment state</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="lesson-table__takeaway">{inline(lesson.process_table.takeaway)}</p>'
        "</div>"
    )


def status_tracker(lesson: Lesson) -> str:
    tracker = lesson.status_tracker
    head = "".join(
        f'<th scope="col" data-stage="{attr(stage.id)}">{inline(stage.label)}</th>'
        for stage in tracker.stages
    )
    body = "".join(
        f'<tr data-variable="{attr(variable.id)}"><th scope="row">{inline(variable.label)}'
        + (
            f' <a class="lesson-table__evidence" href="#{attr(variable.evidence)}">(see it run)</a>'
            if variable.evidence
            else ""
        )
        + "</th>"
        + "".join(
            f'<td id="{tracker_cell_anchor(variable.id, stage.id)}" data-stage="{attr(stage.id)}">'
            f"{inline(variable.values[stage.id])}</td>"
            for stage in tracker.stages
        )
        + "</tr>"
        for variable in tracker.variables
    )
    return (
        '<div class="lesson-table lesson-table--tracker">'
        f'<table><thead><tr><th scope="col">Variable</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


# References


def reference_link(lesson: Lesson, ref: Reference) -> str:
    if ref.table_row is not None:
        return (
            f'<a href="#{table_row_anchor(ref.table_row)}">process table, step {ref.table_row}</a>'
        )
    if ref.tracker_cell is not None:
        cell = ref.tracker_cell
        variable = next(v for v in lesson.status_tracker.variables if v.id == cell.variable)
        stage = next(s for s in lesson.status_tracker.stages if s.id == cell.stage)
        return (
            f'<a href="#{tracker_cell_anchor(cell.variable, cell.stage)}">status tracker, '
            f"{inline(variable.label)} at {inline(stage.label)}</a>"
        )
    if ref.key_moment is not None:
        moment = next(m for m in lesson.key_moments if m.id == ref.key_moment)
        return (
            f'<a href="#{key_moment_anchor(moment.id)}">key moment “{inline(moment.question)}”</a>'
        )
    step = next(s for s in lesson.flow.steps if s.id == ref.flow_step)
    return f'<a href="#{flow_step_anchor(step.id)}">process flow, “{inline(step.label)}”</a>'


def references(lesson: Lesson, refs: Iterable[Reference]) -> str:
    links = [reference_link(lesson, ref) for ref in refs]
    if not links:
        return ""
    return f'<p class="lesson-refs">See {_join(links)}.</p>'


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Key moments, snapshot, transcript


def key_moments(lesson: Lesson) -> str:
    items = "".join(
        f'<div class="key-moment" id="{key_moment_anchor(moment.id)}">'
        f"<dt>{inline(moment.question)}</dt>"
        f"<dd><p>{inline(moment.answer)}</p>{references(lesson, moment.refs)}</dd></div>"
        for moment in lesson.key_moments
    )
    return f'<dl class="key-moments">{items}</dl>'


def concept_snapshot(lesson: Lesson) -> str:
    lines = "".join(f"<li>{inline(line)}</li>" for line in lesson.concept_snapshot)
    return f'<ul class="concept-snapshot">{lines}</ul>'


def transcript(lesson: Lesson) -> str:
    return f'<div class="lesson-transcript">{paragraphs(lesson.transcript)}</div>'


# Quizzes


def quiz(lesson: Lesson, section: str) -> str:
    """All questions of one quiz section (`visual_quiz`, `practice` or `test_bank`)."""
    if section not in QUIZ_SECTIONS:
        raise ValueError(f"quiz(): expected one of {', '.join(QUIZ_SECTIONS)}, got {section!r}")
    questions: list[Question] = getattr(lesson, section)
    items = "".join(
        question_block(lesson, question, number) for number, question in enumerate(questions, 1)
    )
    test = (
        f' data-test-length="{min(TEST_LENGTH, len(questions))}"' if section == "test_bank" else ""
    )
    return (
        f'<div class="quiz" data-module="quiz" data-quiz="{attr(section)}" '
        f'data-lesson="{attr(lesson.id)}" data-question-count="{len(questions)}"{test}>'
        f'<ol class="quiz__questions">{items}</ol></div>'
    )


def question_count(lesson: Lesson) -> int:
    return sum(len(getattr(lesson, section)) for section in QUIZ_SECTIONS)


def progress_widget(lesson: Lesson) -> str:
    """Filled by the quiz script from the reader's saved progress; empty without JavaScript."""
    return (
        f'<div class="lesson-progress" data-module="lesson-progress" data-lesson="{attr(lesson.id)}" '
        f'data-question-count="{question_count(lesson)}" hidden></div>'
    )


def question_block(lesson: Lesson, question: Question, number: int) -> str:
    anchor = question_anchor(question.id)
    code = ""
    if question.code:
        code = (
            f'<pre class="quiz-question__code"><code class="language-{attr(question.code.language)}">'
            f"{html.escape(question.code.source.rstrip())}</code></pre>"
        )
    prompt = inline(question.prompt)
    if isinstance(question, MultipleChoice):
        prompt += ' <span class="quiz-question__instruction">Select all that apply.</span>'
    body, answer, final = _question_parts(question, anchor)
    hint = (
        f'<details class="quiz-question__hint" data-quiz-hint><summary>Hint</summary>'
        f"<p>{inline(question.hint)}</p>{references(lesson, question.hint_refs)}</details>"
    )
    answer_block = (
        f'<details class="quiz-question__answer" data-quiz-answer><summary>Answer and explanation</summary>'
        f"{answer}<p data-quiz-explanation>{inline(question.explanation)}</p>"
        f"{_wrong_options(question)}</details>"
    )
    return (
        f'<li class="quiz-question" id="{anchor}" data-question-id="{attr(question.id)}" '
        f'data-question-type="{question.type}" data-difficulty="{question.difficulty}">'
        f'<fieldset class="quiz-question__fieldset">'
        f'<legend class="quiz-question__legend">'
        f'<span class="quiz-question__number">Question {number}</span> '
        f'<span class="quiz-question__difficulty" data-difficulty="{question.difficulty}">'
        f"{question.difficulty}</span> "
        f'<span class="quiz-question__prompt">{prompt}</span></legend>'
        f"{code}{body}</fieldset>"
        f"{hint}{answer_block}{solution_block(question, final)}</li>"
    )


def _choice_letters(question: SingleChoice | MultipleChoice) -> list[str]:
    answers = [question.answer] if isinstance(question, SingleChoice) else question.answers
    return [
        f"<span data-option-letter>{OPTION_LETTERS[index]}</span>"
        for index, option in enumerate(question.options)
        if option.text in answers
    ]


def _question_parts(question: Question, anchor: str) -> tuple[str, str, str]:
    """The inputs inside the fieldset, the answer line, and the final answer of a solution."""
    if isinstance(question, SingleChoice | MultipleChoice):
        single = isinstance(question, SingleChoice)
        answers = [question.answer] if single else question.answers
        kind = "radio" if single else "checkbox"
        options = "".join(
            f'<li class="quiz-option" data-option-index="{index}" '
            f'data-correct="{"true" if option.text in answers else "false"}">'
            f'<label><input type="{kind}" name="{anchor}" value="{index}"> '
            f'<span class="quiz-option__letter" data-option-letter>{OPTION_LETTERS[index]}.</span> '
            f'<span class="quiz-option__text">{inline(option.text)}</span></label></li>'
            for index, option in enumerate(question.options)
        )
        letters = _choice_letters(question)
        texts = [inline(text) for text in answers]
        if single:
            final = f"{letters[0]}. {texts[0]}"
            line = f"Answer: {final}"
        else:
            shown = [
                f"{letter}. {inline(option.text)}"
                for letter, option in zip(
                    letters, [o for o in question.options if o.text in answers], strict=True
                )
            ]
            final = "; ".join(shown)
            line = f"Answers: {final}"
        return (
            f'<ol class="quiz-question__options">{options}</ol>',
            f'<p class="quiz-question__correct"><strong>{line}</strong></p>',
            final,
        )
    if isinstance(question, Ordering):
        items = "".join(
            f'<li class="quiz-ordering__item" data-order-item="{position}">'
            f'<span class="quiz-ordering__text">{inline(question.items[position])}</span></li>'
            for position in scrambled_order(question.id, len(question.items))
        )
        correct = "".join(f"<li>{inline(item)}</li>" for item in question.items)
        answer = (
            '<p class="quiz-question__correct"><strong>The right order:</strong></p>'
            f'<ol class="quiz-question__order" data-correct-order>{correct}</ol>'
        )
        return (
            f'<ol class="quiz-ordering" data-quiz-ordering>{items}</ol>',
            answer,
            (" → ".join(inline(item) for item in question.items)),
        )
    accepted = "".join(
        f"<li><code data-accepted-answer>{html.escape(variant)}</code></li>"
        for variant in question.accepted
    )
    answer = (
        f'<p class="quiz-question__correct"><strong>Answer:</strong> '
        f"<code data-accepted-answer>{html.escape(question.answer)}</code></p>"
    )
    if accepted:
        answer += f'<p class="quiz-question__subhead">Also accepted:</p><ul>{accepted}</ul>'
    field = (
        f'<label class="quiz-short-answer"><span class="quiz-short-answer__label">Your answer</span> '
        f'<input type="text" class="quiz-short-answer__input" name="{anchor}" autocomplete="off" '
        f'autocapitalize="off" spellcheck="false" data-quiz-text-answer></label>'
    )
    return field, answer, f"<code>{html.escape(question.answer)}</code>"


def _wrong_options(question: Question) -> str:
    if not isinstance(question, SingleChoice | MultipleChoice):
        return ""
    answers = [question.answer] if isinstance(question, SingleChoice) else question.answers
    wrong = "".join(
        f'<li data-explanation-for="{index}"><span data-option-letter>{OPTION_LETTERS[index]}.</span> '
        f"<em>{inline(option.text)}</em> — {inline(option.why_wrong or '')}</li>"
        for index, option in enumerate(question.options)
        if option.text not in answers
    )
    return (
        '<p class="quiz-question__subhead">Why the other options are wrong:</p>'
        f'<ul class="quiz-question__wrong">{wrong}</ul>'
    )


def scrambled_order(seed: str, count: int) -> list[int]:
    """A fixed, never-correct order for readers without JavaScript (the script reshuffles)."""
    order = sorted(range(count), key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    return order[1:] + order[:1] if order == sorted(order) else order


def solution_block(question: Question, final_answer: str) -> str:
    if question.solution is None and not question.common_mistakes:
        return ""
    parts = []
    if question.solution:
        steps = "".join(
            f"<li><strong>{inline(step.title)}.</strong> {inline(step.text)}</li>"
            for step in question.solution.steps
        )
        parts.append(
            f'<ol class="quiz-solution__steps">{steps}</ol>'
            f'<p class="quiz-solution__final"><strong>Final answer:</strong> {final_answer}</p>'
            f'<p class="quiz-solution__check"><strong>Quick check:</strong> '
            f"{inline(question.solution.quick_check)}</p>"
        )
    if question.common_mistakes:
        mistakes = "".join(f"<li>{inline(m)}</li>" for m in question.common_mistakes)
        parts.append(
            '<p class="quiz-question__subhead">Common mistakes:</p>'
            f'<ul class="quiz-solution__mistakes">{mistakes}</ul>'
        )
    return (
        '<details class="quiz-question__solution" data-quiz-solution>'
        f"<summary>Worked solution</summary>{''.join(parts)}</details>"
    )
