"""Pure renderers: each takes models and returns HTML or Markdown. No I/O, no globals.

The HTML here is the contract with the JavaScript in docs/assets/javascripts/: widgets are found
by `data-module`, their state lives in `data-*` attributes, and every block reads in full with
JavaScript off (all steps listed, answers inside `<details>`).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import BashLexer

from .diagrams import Drawing
from .models import (
    QUIZ_SECTIONS,
    Difficulty,
    Lesson,
    MultipleChoice,
    Ordering,
    Question,
    Reference,
    SingleChoice,
)

TEST_LENGTH = 10  # questions drawn from the test bank for one "Test this pattern" run
TEST_TITLE_PREFIX = "Test: "  # the test page's title is this and the lesson's title


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


def step_anchor(step: int) -> str:
    return f"step-through-{step}"


def limit_anchor(limit_id: str) -> str:
    return f"limit-{limit_id}"


def glossary_anchor(entry_id: str) -> str:
    return f"glossary-{entry_id}"


def flashcard_anchor(card_id: str) -> str:
    return f"flashcard-{card_id}"


_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """Escape text for HTML, turning `backticks` into <code>.

    Line breaks fold into spaces: a renderer's output is one raw HTML block of Markdown, and a
    line of lesson text must never start a line of its own that Markdown or snippets would read.
    """
    parts = _CODE_SPAN.split(" ".join(text.split()))
    return "".join(
        f"<code>{html.escape(part)}</code>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )


def code_block(source: str) -> str:
    """Escape a multi-line listing for a <pre>. Its lines keep their breaks, so the characters
    that open a fenced block (which SuperFences looks for on every line, raw HTML included) are
    written as character references too."""
    return html.escape(source).replace("`", "&#96;").replace("~", "&#126;")


def attr(value: str) -> str:
    return html.escape(value, quote=True).replace("\n", "&#10;")


def paragraphs(text: str) -> str:
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "".join(f"<p>{inline(' '.join(block.split()))}</p>" for block in blocks)


# Header and catalog

# The characters Python-Markdown lets a backslash escape (its ESCAPED_CHARS, plus `|` from the
# tables extension): emphasis, code, links, images, attribute lists, closing hashes. `<`, `>`
# and `&` are left to HTML escaping.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def lesson_title(lesson: Lesson) -> str:
    """The title as the text of a Markdown `#` heading: every character a literal.

    Markdown punctuation is backslash-escaped first, then HTML is escaped (without quotes, so
    no `&#...;` appears that the first step would have had to know about). MkDocs takes the
    page's title from this heading, so it stays text in the navigation too; see hooks.py."""
    title = " ".join(lesson.title.split())
    return html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", title), quote=False)


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


DIFFICULTIES = ("easy", "medium", "hard")


def lesson_catalog(entries: Iterable[tuple[Lesson, str]]) -> str:
    """`entries` pairs each lesson with the URL of its page, relative to the catalog's page.

    Without JavaScript: every lesson's card, then the lessons grouped by tag as plain lists.
    With it (catalog.js, found by `data-module="lesson-catalog"`): the filter form, which is in
    the page from the first paint (catalog.css shows it under `.js-enabled`, so nothing moves),
    narrows the cards by tag and difficulty; the line above them offers the lesson last opened."""
    entries = list(entries)
    if not entries:
        return '<p class="lesson-catalog lesson-catalog--empty">No lessons yet.</p>'
    cards = []
    for lesson, url in entries:
        tags = "".join(f'<li class="lesson-tag">{html.escape(tag)}</li>' for tag in lesson.tags)
        cards.append(
            f'<li class="lesson-card" data-lesson="{attr(lesson.id)}" '
            f'data-tags="{attr(" ".join(lesson.tags))}" data-difficulty="{lesson.difficulty}">'
            f'<h3 class="lesson-card__title"><a href="{attr(url)}">{inline(lesson.title)}</a></h3>'
            f'<p class="lesson-card__summary">{inline(lesson.summary)}</p>'
            f'<dl class="lesson-card__facts">'
            f"<div><dt>Topic</dt><dd>{inline(lesson.category.area)} · {inline(lesson.category.topic)}</dd></div>"
            f"<div><dt>Time</dt><dd>About {lesson.minutes} min</dd></div>"
            f'<div><dt>Difficulty</dt><dd data-difficulty="{lesson.difficulty}">{lesson.difficulty}</dd></div>'
            f"</dl>"
            f'<ul class="lesson-tags" aria-label="Tags">{tags}</ul>'
            f"{progress_widget(lesson, with_reset=False)}"
            f"</li>"
        )
    all_tags = sorted({tag for lesson, _ in entries for tag in lesson.tags})
    levels = [level for level in DIFFICULTIES if any(one.difficulty == level for one, _ in entries)]

    def options(values: list[str], any_label: str) -> str:
        return f'<option value="">{any_label}</option>' + "".join(
            f'<option value="{attr(value)}">{html.escape(value)}</option>' for value in values
        )

    filters = (
        '<form class="lesson-browser__filters" aria-label="Filter the lessons">'
        '<span><label for="catalog-tag">Tag</label> '
        f'<select id="catalog-tag" name="tag">{options(all_tags, "Any tag")}</select></span> '
        '<span><label for="catalog-difficulty">Difficulty</label> '
        f'<select id="catalog-difficulty" name="difficulty">{options(levels, "Any difficulty")}'
        "</select></span></form>"
        '<p class="lesson-browser__count" role="status"></p>'
    )
    by_tag = "".join(
        f'<div class="lesson-browser__tag"><h4 id="tag-{attr(tag)}">{html.escape(tag)}</h4><ul>'
        + "".join(
            f'<li><a href="{attr(url)}">{inline(lesson.title)}</a> ({lesson.difficulty})</li>'
            for lesson, url in entries
            if tag in lesson.tags
        )
        + "</ul></div>"
        for tag in all_tags
    )
    return (
        f'<div class="lesson-browser" data-module="lesson-catalog">'
        f'<p class="lesson-browser__continue">Each lesson stands on its own: start with any.</p>'
        f"{filters}"
        f'<ul class="lesson-catalog">{"".join(cards)}</ul>'
        f'<section class="lesson-browser__by-tag" aria-labelledby="lessons-by-tag">'
        f'<h3 id="lessons-by-tag">Lessons by tag</h3>{by_tag}</section></div>'
    )


# Process flow


_MERMAID_SPECIAL = frozenset('"#%&<>`')
MERMAID_MAX_TEXT_SIZE = 50_000  # Mermaid's default maxTextSize: a longer source draws an error


def mermaid_source(lesson: Lesson, direction: str = "LR") -> str:
    """Mermaid flowchart text generated from the flow data."""

    def node(step_id: str) -> str:
        return step_id.replace("-", "_")

    def label(text: str) -> str:
        # Every character that means something to Mermaid (a quote ends the label, `%%` starts a
        # directive, backticks a Markdown string, `<` HTML, `#` an entity code) is written as
        # Mermaid's own entity code `#<number>;`, which it draws as that character, as text.
        # The schema already rejects most of them in labels; this holds even if it did not.
        folded = " ".join(text.split())
        return "".join(f"#{ord(c)};" if c in _MERMAID_SPECIAL else c for c in folded)

    lines = [f"flowchart {direction}"]
    lines += [f'  {node(step.id)}["{label(step.label)}"]' for step in lesson.flow.steps]
    for edge in lesson.flow.edges:
        arrow = f'-->|"{label(edge.label)}"|' if edge.label else "-->"
        lines.append(f"  {node(edge.source)} {arrow} {node(edge.target)}")
    return "\n".join(lines)


# Below this width (px) the flow runs top to bottom; a left-to-right drawing shrunk further than
# LR_MIN_SCALE (labels under 12px) does too. The figure is a CSS container: site.css shows the
# left-to-right drawing from the first of these widths at which it fits.
NARROW = 600
LR_MIN_SCALE = 0.8
LR_BREAKPOINTS = (600, 800, 1000, 1200, 1400, 1600)


@dataclass(frozen=True)
class FlowDrawings:
    """The flow drawn by Mermaid at build time (macros/diagrams.py), both ways round."""

    left_to_right: Drawing
    top_to_bottom: Drawing


def flow_diagram_svg_id(direction: str) -> str:
    # One flow per lesson page, so ids need only the direction to be unique on the page.
    return f"flow-{direction.lower()}"


def flow_node_names(lesson: Lesson) -> dict[str, str]:
    """Mermaid's node name for each step id (see `mermaid_source`)."""
    return {step.id.replace("-", "_"): step.id for step in lesson.flow.steps}


def left_to_right_from(drawing: Drawing) -> int | None:
    needed = max(NARROW, drawing.width * LR_MIN_SCALE)
    return next((width for width in LR_BREAKPOINTS if width >= needed), None)


def process_flow(lesson: Lesson, drawings: FlowDrawings) -> str:
    """The flow as an SVG drawn at build time, with the list of steps for screen readers (the
    drawing is aria-hidden) and the Mermaid source for anyone who wants to copy it."""
    steps = "".join(
        f'<li id="{flow_step_anchor(step.id)}" data-flow-step="{attr(step.id)}">{inline(step.label)}</li>'
        for step in lesson.flow.steps
    )
    wide_from = left_to_right_from(drawings.left_to_right)
    layout = f"flow-diagram--lr-from-{wide_from}" if wide_from else "flow-diagram--tb-only"
    # The drawings were checked to be shapes and text (diagrams.check_drawing); their text was
    # escaped by the serializer that wrote them, from labels Mermaid only ever saw as text.
    drawn = "".join(
        f'<div class="flow-diagram__drawing flow-diagram__drawing--{name}" data-search-exclude>'
        f"{drawing.svg}</div>"
        for name, drawing in (
            ("lr", drawings.left_to_right),
            ("tb", drawings.top_to_bottom),
        )
    )
    return (
        f'<figure class="flow-diagram {layout}">'
        f'<ol class="flow-diagram__steps">{steps}</ol>'
        f"{drawn}"
        f'<figcaption class="flow-diagram__caption">{inline(lesson.flow.caption)}</figcaption>'
        f"</figure>"
        f'<details class="flow-diagram__source" data-search-exclude>'
        f"<summary>Mermaid source of this diagram</summary>"
        f"<pre><code>{html.escape(mermaid_source(lesson))}</code></pre></details>"
    )


# Execution sample: HTML in the shape Material gives highlighted code (so its copy button and
# colours apply), never a Markdown fence that a command could close.


def execution_sample(lesson: Lesson) -> str:
    sample = lesson.execution_sample
    commands = "\n".join(command.command for command in sample.commands) + "\n"
    # Pygments escapes every character it emits; nowrap leaves the <pre> to us.
    code = highlight(commands, BashLexer(), HtmlFormatter(nowrap=True))
    code = code.replace("`", "&#96;").replace("~", "&#126;")  # see code_block()
    explained = "".join(
        f"<li><code>{html.escape(' '.join(command.command.split()))}</code>: "
        f"{inline(command.explanation)}</li>"
        for command in sample.commands
    )
    return (
        '<div class="execution-sample">'
        f'<div class="language-bash highlight"><pre><span></span><code>{code}</code></pre></div>'
        f'<ul class="execution-sample__commands">{explained}</ul>'
        f'<p class="execution-sample__caption">{inline(sample.caption)}</p>'
        "</div>"
    )


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


LIMIT_COLUMNS = ("What", "Where it comes from", "What can break", "How to guard against it")


def limits_table(lesson: Lesson) -> str:
    """What the pattern does not take care of. On a narrow screen each row reads as a card,
    its cells labelled by `data-label`."""
    what, source, breaks, guard = LIMIT_COLUMNS
    rows = "".join(
        f'<tr id="{limit_anchor(row.id)}">'
        f'<th scope="row">{inline(row.what)}</th>'
        f'<td data-label="{source}">{inline(row.source)}</td>'
        f'<td data-label="{breaks}">{inline(row.breaks)}</td>'
        f'<td data-label="{guard}">{inline(row.guard)}</td></tr>'
        for row in lesson.limits.rows
    )
    head = "".join(f'<th scope="col">{column}</th>' for column in LIMIT_COLUMNS)
    return (
        f'<p class="lesson-limits__intro">{inline(lesson.limits.intro)}</p>'
        '<div class="lesson-table lesson-table--limits">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


# References


def reference_link(lesson: Lesson, ref: Reference, lesson_href: str = "") -> str:
    """A link to the part of the lesson page `ref` names; `lesson_href` is that page's URL
    relative to the page the link is on ("" on the lesson page itself)."""

    def link(anchor: str, text: str) -> str:
        return f'<a href="{attr(lesson_href)}#{anchor}">{text}</a>'

    if ref.table_row is not None:
        return link(table_row_anchor(ref.table_row), f"process table, step {ref.table_row}")
    if ref.tracker_cell is not None:
        cell = ref.tracker_cell
        variable = next(v for v in lesson.status_tracker.variables if v.id == cell.variable)
        stage = next(s for s in lesson.status_tracker.stages if s.id == cell.stage)
        return link(
            tracker_cell_anchor(cell.variable, cell.stage),
            f"status tracker, {inline(variable.label)} at {inline(stage.label)}",
        )
    if ref.key_moment is not None:
        moment = next(m for m in lesson.key_moments if m.id == ref.key_moment)
        return link(key_moment_anchor(moment.id), f"key moment “{inline(moment.question)}”")
    if ref.limit is not None:
        row = next(r for r in lesson.limits.rows if r.id == ref.limit)
        return link(
            limit_anchor(row.id),
            f"the table “{inline(lesson.limits.title)}”, row “{inline(row.what)}”",
        )
    step = next(s for s in lesson.flow.steps if s.id == ref.flow_step)
    return link(flow_step_anchor(step.id), f"process flow, “{inline(step.label)}”")


def references(lesson: Lesson, refs: Iterable[Reference], lesson_href: str = "") -> str:
    links = [reference_link(lesson, ref, lesson_href) for ref in refs]
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
    lines = "".join(f"<li>{inline(line.text)}</li>" for line in lesson.concept_snapshot)
    return f'<ul class="concept-snapshot">{lines}</ul>'


def transcript(lesson: Lesson) -> str:
    return f'<div class="lesson-transcript">{paragraphs(lesson.transcript)}</div>'


# Quizzes


def quiz(lesson: Lesson, section: str, lesson_href: str = "") -> str:
    """All questions of one quiz section (`visual_quiz`, `practice` or `test_bank`).

    The test bank has a page of its own (`test_page_intro`), so every quiz carries what the
    script must know of the whole lesson: all its question ids, those whose answers are kept,
    and the test's length. Progress saved on one page then never drops another page's."""
    if section not in QUIZ_SECTIONS:
        raise ValueError(f"quiz(): expected one of {', '.join(QUIZ_SECTIONS)}, got {section!r}")
    questions: list[Question] = getattr(lesson, section)
    items = "".join(
        question_block(lesson, question, number, lesson_href)
        for number, question in enumerate(questions, 1)
    )
    every = " ".join(q.id for name in QUIZ_SECTIONS for q in getattr(lesson, name))
    kept = " ".join(
        q.id for name in QUIZ_SECTIONS if name != "test_bank" for q in getattr(lesson, name)
    )
    return (
        f'<div class="quiz" data-module="quiz" data-quiz="{attr(section)}" '
        f'data-lesson="{attr(lesson.id)}" data-question-count="{len(questions)}" '
        f'data-lesson-questions="{attr(every)}" data-kept-questions="{attr(kept)}" '
        f'data-test-length="{test_length(lesson)}">'
        f'<ol class="quiz__questions">{items}</ol></div>'
    )


def test_length(lesson: Lesson) -> int:
    return min(TEST_LENGTH, len(lesson.test_bank))


def test_link(lesson: Lesson, test_href: str) -> str:
    """The lesson page's "Test this pattern" section: what the test is, and the way to it."""
    counts = Counter(question.difficulty for question in lesson.test_bank)
    spread = ", ".join(
        f"{counts[level]} {level}" for level in get_args(Difficulty) if counts[level]
    )
    return (
        f'<p class="lesson-test-link">The test has a page of its own: '
        f"{test_length(lesson)} questions, one at a time, drawn from {len(lesson.test_bank)} "
        f"({spread}). Hints link back here.</p>"
        f'<p><a class="md-button md-button--primary" href="{attr(test_href)}">Take the test</a></p>'
    )


def test_page_title(lesson: Lesson) -> str:
    """The test page's `#` heading, as `lesson_title` makes the lesson page's."""
    return TEST_TITLE_PREFIX + lesson_title(lesson)


def test_page_intro(lesson: Lesson, lesson_href: str) -> str:
    return (
        f'<p class="lesson-test-intro">A test of the lesson '
        f'<a href="{attr(lesson_href)}">{inline(" ".join(lesson.title.split()))}</a>, with '
        "questions at three levels: easy, medium and hard. Each hint links back to the part of "
        "the lesson that answers its question.</p>"
    )


def question_count(lesson: Lesson) -> int:
    return sum(len(getattr(lesson, section)) for section in QUIZ_SECTIONS)


def run_lengths(lesson: Lesson) -> list[int]:
    """How many questions a run of the lesson's test can ask: `test_length`, or fewer when the
    reader picks a difficulty with fewer questions (the test page's filter)."""
    pools = [len(lesson.test_bank), *Counter(q.difficulty for q in lesson.test_bank).values()]
    return sorted({min(TEST_LENGTH, pool) for pool in pools})


def progress_widget(lesson: Lesson, with_reset: bool = True) -> str:
    """Filled in by the quiz script from the reader's saved progress; not shown without
    JavaScript. Its lines are here already so that the page keeps room for them (site.css).

    It carries what the script needs to tell the lesson's own progress from tampered or stale
    records, as every quiz does, so that a home page card, with no quiz beside it, counts as
    the lesson page does: the lesson's question ids, those whose answers are kept, and the
    lengths a test run can have (a best score of another length no run gave)."""
    every = " ".join(q.id for name in QUIZ_SECTIONS for q in getattr(lesson, name))
    kept = " ".join(
        q.id for name in QUIZ_SECTIONS if name != "test_bank" for q in getattr(lesson, name)
    )
    runs = " ".join(str(length) for length in run_lengths(lesson))
    actions = (
        '<p class="lesson-progress__actions">'
        '<button type="button" class="md-button lesson-progress__reset">Reset progress</button> '
        '<span class="lesson-progress__status" role="status"></span></p>'
        if with_reset
        else ""
    )
    return (
        f'<div class="lesson-progress" data-module="lesson-progress" data-lesson="{attr(lesson.id)}" '
        f'data-question-count="{question_count(lesson)}" data-lesson-questions="{attr(every)}" '
        f'data-kept-questions="{attr(kept)}" data-test-runs="{runs}" hidden>'
        f'<p class="lesson-progress__text">Your progress: 0 of {question_count(lesson)} questions '
        f"answered correctly</p>{actions}</div>"
    )


def question_block(lesson: Lesson, question: Question, number: int, lesson_href: str = "") -> str:
    anchor = question_anchor(question.id)
    code = ""
    if question.code:
        code = (
            f'<pre class="quiz-question__code"><code class="language-{attr(question.code.language)}">'
            f"{code_block(question.code.source.rstrip())}</code></pre>"
        )
    prompt = inline(question.prompt)
    if isinstance(question, MultipleChoice):
        prompt += ' <span class="quiz-question__instruction">Select all that apply.</span>'
    body, answer, final = _question_parts(question, anchor, command_engines(lesson))
    hint = (
        f'<details class="quiz-question__hint" data-quiz-hint><summary>Hint</summary>'
        f"<p>{inline(question.hint)}</p>{references(lesson, question.hint_refs, lesson_href)}</details>"
    )
    # Answers and worked solutions stay out of the search index: a search would give them away
    # (and they were more than half of its text). Prompts, options and hints are found.
    answer_block = (
        f'<details class="quiz-question__answer" data-quiz-answer data-search-exclude>'
        f"<summary>Answer and explanation</summary>"
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


# Engines whose command line matches Docker's for the commands a lesson asks for; `docker` is
# always accepted, the others where the lesson's glossary names them.
OTHER_ENGINES = ("podman", "nerdctl")


def command_engines(lesson: Lesson) -> tuple[str, ...]:
    """The container engines a `judge: command` answer may start with."""
    text = " ".join(f"{e.term} {' '.join(e.forms)} {e.definition}" for e in lesson.glossary)
    named = [e for e in OTHER_ENGINES if re.search(rf"\b{e}\b", text, re.IGNORECASE)]
    return ("docker", *named)


def _question_parts(
    question: Question, anchor: str, engines: tuple[str, ...] = ("docker",)
) -> tuple[str, str, str]:
    """The inputs inside the fieldset, the answer line, and the final answer of a solution."""
    if isinstance(question, SingleChoice | MultipleChoice):
        single = isinstance(question, SingleChoice)
        answers = [question.answer] if single else question.answers
        kind = "radio" if single else "checkbox"
        # The letters are drawn by site.css from the options' order, so they follow a shuffle
        # by themselves; answers and explanations name an option by its words, never its letter.
        # Each option is its label, as GOV.UK's radios are: the fieldset already groups them,
        # and a list item around each was four elements a question.
        options = "".join(
            f'<label class="quiz-option" data-option-index="{index}" '
            f'data-correct="{"true" if option.text in answers else "false"}">'
            f'<input type="{kind}" name="{anchor}" value="{index}"> '
            f'<span class="quiz-option__text">{inline(option.text)}</span></label>'
            for index, option in enumerate(question.options)
        )
        if single:
            final = inline(question.answer)
            correct = f'<p class="quiz-question__correct"><strong>Answer:</strong> {final}</p>'
        else:
            # A list, not a sentence: each option is a sentence with its own full stop.
            shown = "".join(
                f"<li>{inline(option.text)}</li>"
                for option in question.options
                if option.text in answers
            )
            final = f'<ul class="quiz-question__correct-options">{shown}</ul>'
            correct = f'<p class="quiz-question__correct"><strong>Answers:</strong></p>{final}'
        return f'<div class="quiz-question__options">{options}</div>', correct, final
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
    judged = ""
    if question.judge == "command":
        others = " or ".join(f"<code>{html.escape(e)}</code>" for e in engines[1:])
        answer += (
            '<p class="quiz-question__judge">Any command that means the same is right: options '
            "in any order, long or short forms (<code>-t</code>, <code>--tag</code>), "
            "<code>./</code> for <code>.</code>, the longer subcommand names"
            + (f", and {others} in place of <code>docker</code>" if others else "")
            + ".</p>"
        )
        judged = f' data-judge="command" data-engines="{attr(" ".join(engines))}"'
    if accepted:
        heading = "For example:" if question.judge == "command" else "Also accepted:"
        answer += f'<p class="quiz-question__subhead">{heading}</p><ul>{accepted}</ul>'
    field = (
        f'<label class="quiz-short-answer"><span class="quiz-short-answer__label">Your answer</span> '
        f'<input type="text" class="quiz-short-answer__input" name="{anchor}" autocomplete="off" '
        f'autocapitalize="off" spellcheck="false" data-quiz-text-answer{judged}></label>'
    )
    return field, answer, f"<code>{html.escape(question.answer)}</code>"


def _wrong_options(question: Question) -> str:
    if not isinstance(question, SingleChoice | MultipleChoice):
        return ""
    answers = [question.answer] if isinstance(question, SingleChoice) else question.answers
    wrong = "".join(
        f'<li data-explanation-for="{index}">'
        f"“{inline(option.text)}” — {inline(option.why_wrong or '')}</li>"
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
            f'<div class="quiz-solution__final"><strong>Final answer:</strong> {final_answer}</div>'
            f'<p class="quiz-solution__check"><strong>Quick check:</strong> '
            f"{inline(question.solution.quick_check)}</p>"
        )
    if question.common_mistakes:
        mistakes = "".join(f"<li>{inline(m)}</li>" for m in question.common_mistakes)
        subhead = '<p class="quiz-question__subhead">Common mistakes:</p>' if parts else ""
        parts.append(f'{subhead}<ul class="quiz-solution__mistakes">{mistakes}</ul>')
    # A question with mistakes but no worked solution says so, rather than promise one.
    summary = "Worked solution" if question.solution else "Common mistakes"
    return (
        '<details class="quiz-question__solution" data-quiz-solution data-search-exclude>'
        f"<summary>{summary}</summary>{''.join(parts)}</details>"
    )


# Step-through: the process table's rows as steps over the diagram and the tracker


@dataclass(frozen=True)
class Change:
    variable_id: str
    label: str
    before: str | None  # None: there is no earlier stage to compare with
    after: str

    @property
    def changed(self) -> bool:
        # With nothing before it, a value is where the variable starts, not a change.
        return self.before is not None and self.before != self.after


def step_changes(lesson: Lesson, index: int) -> tuple[str | None, list[Change]]:
    """The stage row `index` is compared with, and each tracker variable's change since it.

    A row is compared with the previous row's stage; the first row with the column before its
    own, if there is one. A row that stays on its predecessor's stage changes nothing: that is
    how a table row can say "no effect" and the tracker agree."""
    rows = lesson.process_table.rows
    stage_ids = [stage.id for stage in lesson.status_tracker.stages]
    stage = rows[index].tracker_stage
    if index > 0:
        previous: str | None = rows[index - 1].tracker_stage
    else:
        position = stage_ids.index(stage)
        previous = stage_ids[position - 1] if position > 0 else None
    changes = [
        Change(
            variable.id,
            variable.label,
            variable.values[previous] if previous else None,
            variable.values[stage],
        )
        for variable in lesson.status_tracker.variables
    ]
    return previous, changes


def step_through(lesson: Lesson) -> str:
    """Every step, written out: the script turns the list into Previous / Next / Play controls
    that highlight the flow nodes, the table row and the tracker column named here."""
    steps = {step.id: step for step in lesson.flow.steps}
    stages = {stage.id: stage for stage in lesson.status_tracker.stages}
    rows = lesson.process_table.rows
    items = []
    for index, row in enumerate(rows):
        previous, changes = step_changes(lesson, index)
        nodes = " → ".join(inline(steps[step_id].label) for step_id in row.flow_steps)
        if previous == row.tracker_stage:
            compared = " (still; the previous step ended here too)"
        elif previous:
            compared = f" (compared with {inline(stages[previous].label)})"
        else:
            compared = ""
        change_items = "".join(
            f'<li data-variable="{attr(change.variable_id)}" '
            f'data-changed="{"true" if change.changed else "false"}">'
            + (
                f"<strong>{inline(change.label)}</strong> changed: "
                f"{inline(change.before)} → {inline(change.after)}"
                if change.changed
                else f"<strong>{inline(change.label)}</strong>: {inline(change.after)}"
                + (" (where it starts)" if change.before is None else " (unchanged)")
            )
            + "</li>"
            for change in changes
        )
        unchanged = not any(change.changed for change in changes)
        summary = (
            '<p class="step-through__nothing-changed">'
            + (
                "The tracker starts here."
                if previous is None
                else "Nothing in the tracker changed."
            )
            + "</p>"
            if unchanged
            else ""
        )
        items.append(
            f'<li class="step-through__step" id="{step_anchor(row.step)}" data-step="{row.step}" '
            f'data-flow-steps="{attr(" ".join(row.flow_steps))}" '
            f'data-tracker-stage="{attr(row.tracker_stage)}" '
            f'data-previous-stage="{attr(previous or "")}">'
            f'<p class="step-through__title">Step {row.step} of {len(rows)}: {inline(row.action)}</p>'
            f'<dl class="step-through__facts">'
            f"<dt>Result</dt><dd>{inline(row.result)}</dd>"
            f"<dt>Environment</dt><dd>{inline(row.environment_state)}</dd>"
            f"<dt>In the diagram</dt><dd>{nodes}</dd>"
            f"<dt>In the tracker</dt><dd>"
            f"{inline(stages[row.tracker_stage].label)}{compared}</dd>"
            f"</dl>"
            f'{summary}<ul class="step-through__changes">{change_items}</ul></li>'
        )
    return (
        f'<div class="step-through" data-module="step-through" data-lesson="{attr(lesson.id)}" '
        f'data-step-count="{len(rows)}">'
        f'<p class="step-through__heading" id="step-through-heading">'
        f"<strong>Step by step.</strong> What each step of the process table does, where it "
        f"sits in the diagram, and what it changes in the status tracker.</p>"
        f'<ol class="step-through__steps" aria-labelledby="step-through-heading">'
        f"{''.join(items)}</ol></div>"
    )


# Learning modes


@dataclass(frozen=True)
class LearningMode:
    id: str
    label: str
    description: str
    # Ids of the lesson page's `##` headings the mode shows; empty for all of them. The build
    # fails if a lesson page lacks one of these headings.
    sections: tuple[str, ...]


LEARNING_MODES = (
    LearningMode("full", "Full lesson", "Everything on one page, in order.", ()),
    LearningMode(
        "visual",
        "Visual",
        "The flow diagram, stepped through with the process table and status tracker.",
        ("process-flow", "process-table", "status-tracker"),
    ),
    LearningMode(
        "read",
        "Read",
        "The concept snapshot, the full transcript, the limits and the glossary.",
        ("concept-snapshot", "full-transcript", "limits", "glossary"),
    ),
    LearningMode(
        "key-moments", "Key moments", "The insights, as questions and answers.", ("key-moments",)
    ),
    LearningMode(
        "visual-quiz",
        "Visual quiz",
        "Questions answered from the diagram and tables, shown beside them.",
        ("process-flow", "process-table", "status-tracker", "visual-quiz"),
    ),
    LearningMode(
        "practice", "Practice", "Questions with hints and worked solutions.", ("practice",)
    ),
    LearningMode(
        "test",
        "Test",
        f"{TEST_LENGTH} questions across easy, medium and hard, on a page of their own.",
        ("test-this-pattern",),
    ),
    LearningMode(
        "flashcards",
        "Flashcards",
        "Key moments, snapshot lines, limits and terms to recall.",
        ("flashcards",),
    ),
    LearningMode(
        "cheat-sheet", "Cheat sheet", "The lesson on one printable page.", ("cheat-sheet",)
    ),
    LearningMode(
        "hands-on",
        "Hands-on",
        "The lesson's example to run yourself: the commands and the output to expect.",
        ("execution-sample", "hands-on"),
    ),
)
FIRST_SECTION = "process-flow"  # where "Full lesson" jumps to without JavaScript


def mode_sections() -> list[str]:
    """Every heading id some learning mode relies on, in first-use order."""
    return list(dict.fromkeys(section for mode in LEARNING_MODES for section in mode.sections))


def mode_picker(lesson: Lesson) -> str:
    """Without JavaScript, a list of links to each mode's first section; the script makes each
    link switch the page to that mode, and remembers it."""
    modes = "".join(
        f'<li class="mode-picker__mode">'
        f'<a class="mode-picker__link" href="#{attr((mode.sections or (FIRST_SECTION,))[0])}" '
        f'data-mode="{attr(mode.id)}" data-mode-sections="{attr(" ".join(mode.sections))}">'
        f'<span class="mode-picker__label" data-label="{attr(mode.label)}">'
        f"{html.escape(mode.label)}</span> "
        f'<span class="mode-picker__description">{html.escape(mode.description)}</span></a></li>'
        for mode in LEARNING_MODES
    )
    return (
        f'<nav class="mode-picker" data-module="mode-picker" data-lesson="{attr(lesson.id)}" '
        f'data-default-mode="{LEARNING_MODES[0].id}" aria-labelledby="mode-picker-title">'
        f'<p class="mode-picker__title" id="mode-picker-title">'
        f"Choose your learning style: {len(LEARNING_MODES)} modes</p>"
        f'<ul class="mode-picker__modes">{modes}</ul>'
        # Filled in by the script with the active mode's description; room kept for it.
        f'<p class="mode-picker__hint"></p></nav>'
    )


# Glossary, flashcards, cheat sheet


def glossary(lesson: Lesson) -> str:
    entries = "".join(
        f'<div class="glossary__entry" id="{glossary_anchor(entry.id)}">'
        f"<dt>{inline(entry.term)}</dt><dd>{inline(entry.definition)}</dd></div>"
        for entry in sorted(lesson.glossary, key=lambda entry: entry.term.lower())
    )
    return f'<dl class="glossary">{entries}</dl>'


@dataclass(frozen=True)
class Flashcard:
    id: str
    kind: str  # a key of FLASHCARD_KINDS
    front: str  # HTML
    back: str  # HTML


def flashcard_deck(lesson: Lesson) -> list[Flashcard]:
    cards = [
        Flashcard(
            f"key-moment-{moment.id}", "key-moment", inline(moment.question), inline(moment.answer)
        )
        for moment in lesson.key_moments
    ]
    cards += [
        Flashcard(f"snapshot-{number}", "snapshot", inline(line.cue), inline(line.text))
        for number, line in enumerate(lesson.concept_snapshot, 1)
    ]
    cards += [
        Flashcard(
            f"limit-{row.id}",
            "limit",
            f"{inline(row.what)}: where does it come from, and what can break?",
            f"{inline(row.source)} {inline(row.breaks)} Guard: {inline(row.guard)}",
        )
        for row in lesson.limits.rows
    ]
    cards += [
        Flashcard(
            f"term-{entry.id}",
            "term",
            f"What is meant by <dfn>{inline(entry.term)}</dfn>?",
            inline(entry.definition),
        )
        for entry in lesson.glossary
    ]
    return cards


FLASHCARD_KINDS = {
    "key-moment": "Key moment",
    "snapshot": "Concept snapshot",
    "limit": "Limit",
    "term": "Term",
}


def flashcards(lesson: Lesson) -> str:
    """Every card with its answer in <details>; the script deals them one at a time."""
    deck = flashcard_deck(lesson)
    cards = "".join(
        f'<li class="flashcard" id="{flashcard_anchor(card.id)}" data-card-id="{attr(card.id)}" '
        f'data-card-kind="{card.kind}">'
        f'<p class="flashcard__kind">{FLASHCARD_KINDS[card.kind]}</p>'
        f'<p class="flashcard__front">{card.front}</p>'
        f'<details class="flashcard__back"><summary>Show the answer</summary>'
        f"{card.back}</details></li>"
        for card in deck
    )
    # Left out of the search index (data-search-exclude), as the cheat sheet is: every card
    # repeats a key moment, snapshot line, limit or glossary entry that search finds in place.
    return (
        f'<div class="flashcards" data-module="flashcards" data-lesson="{attr(lesson.id)}" '
        f'data-card-count="{len(deck)}" data-search-exclude>'
        f'<ol class="flashcards__cards">{cards}</ol></div>'
    )


# A sentence ends at . ! or ? followed by a capital letter, outside `code` (`numpy==2.3.5.`).
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence of `text` (inline Markdown): all of it when it is one sentence."""
    masked = _CODE_SPAN.sub(lambda span: "x" * len(span.group()), text)
    end = _SENTENCE_END.search(masked)
    return text[: end.end()] if end else text


def cheat_sheet(lesson: Lesson) -> str:
    """The lesson on one page, for print: snapshot, flow, commands, the two tables, the limits,
    the terms."""
    snapshot = "".join(f"<li>{inline(line.text)}</li>" for line in lesson.concept_snapshot)
    flow = "".join(f"<li>{inline(step.label)}</li>" for step in lesson.flow.steps)
    commands = code_block("\n".join(c.command for c in lesson.execution_sample.commands))
    rows = "".join(
        f"<tr><td>{row.step}</td><td>{inline(row.action)}</td><td>{inline(row.result)}</td>"
        f"<td>{inline(row.environment_state)}</td></tr>"
        for row in lesson.process_table.rows
    )
    tracker = lesson.status_tracker
    tracker_head = "".join(f'<th scope="col">{inline(s.label)}</th>' for s in tracker.stages)
    tracker_rows = "".join(
        f'<tr><th scope="row">{inline(v.label)}</th>'
        + "".join(f"<td>{inline(v.values[s.id])}</td>" for s in tracker.stages)
        + "</tr>"
        for v in tracker.variables
    )
    # Each term's first sentence, which says what it is; what follows ties it to the lesson,
    # and the glossary above has it. A lesson's whole glossary would not fit one page.
    terms = "".join(
        f"<dt>{inline(entry.term)}</dt><dd>{inline(first_sentence(entry.definition))}</dd>"
        for entry in sorted(lesson.glossary, key=lambda entry: entry.term.lower())
    )
    # Names only: the cheat sheet prints on one page, and the lesson's table has the detail.
    limits = "; ".join(inline(row.what) for row in lesson.limits.rows)
    return (
        f'<div class="cheat-sheet" data-module="cheat-sheet" data-lesson="{attr(lesson.id)}" '
        "data-search-exclude>"
        f'<p class="cheat-sheet__title"><strong>{inline(lesson.title)}</strong> · cheat sheet</p>'
        f'<div class="cheat-sheet__block cheat-sheet__block--snapshot"><h3>In {len(lesson.concept_snapshot)} lines</h3>'
        f"<ul>{snapshot}</ul></div>"
        f'<div class="cheat-sheet__block cheat-sheet__block--flow"><h3>The flow</h3>'
        f'<ol class="cheat-sheet__flow">{flow}</ol></div>'
        f'<div class="cheat-sheet__block cheat-sheet__block--commands"><h3>Commands</h3>'
        f"<pre><code>{commands}</code></pre></div>"
        f'<div class="cheat-sheet__block cheat-sheet__block--process"><h3>Step by step</h3>'
        f'<table><thead><tr><th scope="col">Step</th><th scope="col">Action</th>'
        f'<th scope="col">Result</th><th scope="col">Environment state</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f"<p>{inline(lesson.process_table.takeaway)}</p></div>"
        f'<div class="cheat-sheet__block cheat-sheet__block--tracker"><h3>Status tracker</h3>'
        f'<table><thead><tr><th scope="col">Variable</th>{tracker_head}</tr></thead>'
        f"<tbody>{tracker_rows}</tbody></table></div>"
        f'<div class="cheat-sheet__block cheat-sheet__block--limits">'
        f"<h3>{inline(lesson.limits.title)}</h3><p>{limits}.</p></div>"
        f'<div class="cheat-sheet__block cheat-sheet__block--terms"><h3>Terms</h3>'
        f'<dl class="cheat-sheet__terms">{terms}</dl></div>'
        f"</div>"
    )
