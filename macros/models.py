"""The schema of a lesson file.

Every field carries a description: the contributor guide's field reference is generated from
these models, so the description is the documentation. Models are strict (no silent coercion of
`yes` to True or `1` to "1") and forbid unknown keys, so a typo is an error, not a dropped field.
Checks that need more than one field (answers among options, references that exist, unique ids)
live in `checks.py`, where each problem can be reported at its own path.

Lesson data is never code: every text field has a length limit and is plain text (no control
characters but tab and line break, no bidirectional controls, no pymdownx.snippets marker, no
Mermaid directive), and the text that lands in a diagram or a command line follows that place's
stricter rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

# Limits: lesson data is small, and a limit keeps a mistake (or a hostile file) from becoming a
# page of tens of megabytes. Each is well above what the first lesson uses (at most: a title of
# 42 characters, an option of 272, an explanation of 519, a transcript of 1,066, 20 questions in
# a section, 7 glossary entries).
SLUG_MAX = 64
TITLE_MAX = 120
LABEL_MAX = 200  # a short label: a diagram node, a table cell, a term, a heading
OPTION_MAX = 500  # an answer option, an ordering item, an accepted answer
COMMAND_MAX = 500
PROSE_MAX = 2000  # a sentence or a short paragraph: prompts, answers, explanations
CODE_MAX = 5000
TRANSCRIPT_MAX = 20000
MAX_QUESTIONS = 50  # per quiz section
MAX_STEP_NUMBER = 1000


def describe(value: Any) -> str:
    """A short, readable rendering of a value the author wrote."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; quote it to make it text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown) if value else "empty text"
    if isinstance(value, int) and value.bit_length() > 200:
        # repr() of a huge number is slow, long, and past 4300 digits an error.
        return f"a whole number of about {int(value.bit_length() * 0.30103)} digits"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


# Rules every text field follows: lesson text is shown as text, never read as instructions by
# the tools the site is built with (pymdownx.snippets, Mermaid) or by a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # lone surrogates: pydantic rejects
_SNIPPET_MARKER = "-8<-"  # pymdownx.snippets reads -{1,}8<-{1,}; every such run contains this


# Unicode's format characters (category Cf) are invisible: the zero-width space and joiners, the
# soft hyphen, the byte order mark, the bidirectional controls. The embeddings, overrides and
# isolates show text in another order than it is read (Trojan Source), so no text holds them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def format_characters(value: str) -> list[str]:
    """The distinct invisible format characters in `value`, in the order they first appear."""
    return list(dict.fromkeys(c for c in value if unicodedata.category(c) == "Cf"))


def shown_characters(chars: list[str]) -> str:
    """`U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN`."""
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}".rstrip() for c in chars)


def _plain_text(value: str) -> str:
    control = _CONTROL.search(value)
    if control:
        raise ValueError(
            "expected text without control characters (other than tab and line break), "
            f"got a control character U+{ord(control.group()):04X} in {describe(value)}"
        )
    bidi = [c for c in format_characters(value) if c in BIDI_CONTROLS]
    if bidi:
        raise ValueError(
            "expected no bidirectional control characters (they change the order text is shown "
            f"in from the order it is read), got {shown_characters(bidi[:1])} in {describe(value)}"
        )
    at = value.find(_SNIPPET_MARKER)
    if at >= 0:
        start, end = at, at + len(_SNIPPET_MARKER)
        while start > 0 and value[start - 1] == "-":
            start -= 1
        while end < len(value) and value[end] == "-":
            end += 1
        raise ValueError(
            "expected text without a snippet marker (`--8<--`), "
            f"got {describe(value[start:end])} in {describe(value)}"
        )
    if "%%{" in value:
        raise ValueError(
            f"expected text without a Mermaid directive (`%%{{`), got {describe(value)}"
        )
    return value


def _rule(note: str) -> Callable[[Callable[[str], str]], Callable[[str], str]]:
    """Mark a text rule with the note the field reference shows for it."""

    def mark(check: Callable[[str], str]) -> Callable[[str], str]:
        check.note = note  # type: ignore[attr-defined]
        return check

    return mark


@_rule("one line")
def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"expected one line of text, got a line break in {describe(value)}")
    return value


@_rule("no three backticks")
def _no_fence(value: str) -> str:
    if "```" in value:
        raise ValueError(f"expected a command without three backticks (```), got {describe(value)}")
    return value


# "Option A", "options B and C": the options are shuffled for every attempt, so a letter names a
# different option three times in four.
_OPTION_LETTER = re.compile(r"\b[Oo]ptions?\s+\(?[A-H]\b")


@_rule("never names an option by its letter")
def _no_option_letter(value: str) -> str:
    found = _OPTION_LETTER.search(value)
    if found:
        raise ValueError(
            "expected no option named by its letter (options are shuffled, so the letter "
            f"changes): name the option by what it says, got {describe(found.group())} in "
            f"{describe(value)}"
        )
    return value


def _visible(value: str) -> str:
    # What a reader types, what must match other text exactly, and a name: one that looks right
    # and is not can neither be typed nor found. (Said once, in Lesson's description, for the
    # field reference.)
    found = format_characters(value)
    if found:
        raise ValueError(
            f"expected no invisible format characters, got {shown_characters(found[:1])} in "
            f"{describe(value)}"
        )
    return value


_DIAGRAM_FORBIDDEN = ("%%", "<", ">", "`", "\n", "\r")


@_rule("one line, no `%%`, `<`, `>` or backticks")
def _diagram_label(value: str) -> str:
    if any(text in value for text in _DIAGRAM_FORBIDDEN):
        raise ValueError(
            "expected plain text for a diagram label (no `%%`, `<`, `>`, backticks or line "
            f"breaks), got {describe(value)}"
        )
    return value


def _text(max_length: int, *rules: Callable[[str], str]) -> Any:
    """Non-empty plain text of at most `max_length` characters (after trimming white space)
    that passes `rules`, then the rules of all text (`_plain_text`)."""
    length = StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)
    checks = tuple(AfterValidator(rule) for rule in (*rules, _plain_text))
    return Annotated[(str, length, *checks)]


Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=SLUG_MAX),
    Field(description="kebab-case id: lower-case letters, digits and single hyphens"),
]
Text = _text(PROSE_MAX)
Label = _text(LABEL_MAX)
OptionText = _text(OPTION_MAX)
Title = _text(TITLE_MAX, _one_line, _visible)
DiagramLabel = _text(LABEL_MAX, _diagram_label)
CommandLine = _text(COMMAND_MAX, _one_line, _no_fence, _visible)
Code = _text(CODE_MAX)
# Text of a question, its options and its solution.
QuestionText = _text(PROSE_MAX, _no_option_letter)
QuestionLabel = _text(LABEL_MAX, _no_option_letter)
QuestionOption = _text(OPTION_MAX, _no_option_letter)
# What a question's answer is judged against: what the reader types or picks.
QuestionAnswer = _text(OPTION_MAX, _no_option_letter, _visible)
Transcript = _text(TRANSCRIPT_MAX)
Difficulty = Literal["easy", "medium", "hard"]
QUIZ_SECTIONS = ("visual_quiz", "practice", "test_bank")  # the Lesson fields that hold questions


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class Category(Model):
    """Where the lesson sits in the catalog."""

    area: Label = Field(description="Broad area, for example `MLOps`.")
    topic: Label = Field(description="Topic inside the area, for example `devops`.")


class FlowStep(Model):
    """One node of the process flow diagram."""

    id: Slug = Field(description="Id of the step, used by edges and references.")
    label: DiagramLabel = Field(description="Text shown in the diagram node.")


class FlowEdge(Model):
    """An arrow between two steps of the process flow."""

    source: Slug = Field(alias="from", description="Id of the step the arrow starts at.")
    target: Slug = Field(alias="to", description="Id of the step the arrow points to.")
    label: DiagramLabel | None = Field(default=None, description="Optional text on the arrow.")


class Flow(Model):
    """The process flow, drawn as a diagram."""

    caption: Text = Field(description="One sentence saying what the flow shows.")
    steps: list[FlowStep] = Field(
        min_length=2, max_length=30, description="The steps, in reading order."
    )
    edges: list[FlowEdge] = Field(min_length=1, max_length=60, description="Arrows between steps.")


class Command(Model):
    """One shell command of the execution sample."""

    command: CommandLine = Field(description="The command exactly as a reader would type it.")
    explanation: Text = Field(description="What the command does.")


class ExecutionSample(Model):
    """Commands a reader can run to see the pattern."""

    caption: Text = Field(description="What running the commands achieves.")
    commands: list[Command] = Field(
        min_length=1, max_length=30, description="The commands, in order."
    )


class ProcessRow(Model):
    """One row of the process table."""

    step: int = Field(
        ge=1, le=MAX_STEP_NUMBER, description="Step number: 1 for the first row, then 2, 3, ..."
    )
    action: Label = Field(description="What is done at this step.")
    result: Label = Field(description="What happens as a result.")
    environment_state: Label = Field(description="The state of the environment after the step.")
    flow_steps: list[Slug] = Field(
        min_length=1,
        max_length=30,
        description="Ids of the process flow steps this row acts out; the step-through "
        "highlights them in the diagram.",
    )
    tracker_stage: Slug = Field(
        description="Id of the status tracker stage reached after this row; the step-through "
        "highlights that column and calls out what changed since the previous row's stage. "
        "Stages never go backwards from one row to the next."
    )


class ProcessTable(Model):
    """The process, step by step, as a table."""

    rows: list[ProcessRow] = Field(
        min_length=1, max_length=30, description="The rows, numbered from 1."
    )
    takeaway: Text = Field(description="The one-line lesson of the table.")


class TrackerStage(Model):
    """A column of the status tracker: a moment in the process."""

    id: Slug = Field(description="Id of the stage, used as a key in each variable's values.")
    label: Label = Field(description="Column heading.")


class TrackerVariable(Model):
    """A row of the status tracker: something whose value changes across stages."""

    id: Slug = Field(description="Id of the variable, used by references.")
    label: Label = Field(description="Row heading.")
    values: dict[Slug, Label] = Field(
        max_length=20,
        description="The value at each stage: one entry per stage id, no more, no fewer.",
    )
    evidence: Slug | None = Field(
        default=None,
        description="Id of a section on the lesson's page that shows these values for real, "
        "such as a run of the example; the row links to it.",
    )


class StatusTracker(Model):
    """How key variables change across the stages of the process."""

    stages: list[TrackerStage] = Field(
        min_length=1, max_length=20, description="The columns, in order."
    )
    variables: list[TrackerVariable] = Field(min_length=1, max_length=30, description="The rows.")


class TrackerCell(Model):
    """The address of one status tracker cell."""

    variable: Slug = Field(description="Id of a status tracker variable.")
    stage: Slug = Field(description="Id of a status tracker stage.")


class Reference(Model):
    """A pointer to part of the lesson, rendered as a link. Give exactly one key."""

    # The JSON Schema says "exactly one key" too (the validator below says it to the build).
    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    table_row: int | None = Field(
        default=None, le=MAX_STEP_NUMBER, description="Step number of a process table row."
    )
    tracker_cell: TrackerCell | None = Field(default=None, description="A status tracker cell.")
    key_moment: Slug | None = Field(default=None, description="Id of a key moment.")
    flow_step: Slug | None = Field(default=None, description="Id of a process flow step.")
    limit: Slug | None = Field(default=None, description="Id of a row of the limits table.")

    @model_validator(mode="before")
    @classmethod
    def _exactly_one_target(cls, data: object) -> object:
        if isinstance(data, dict):
            known = [key for key in cls.model_fields if key in data]
            if len(known) > 1:
                raise ValueError(
                    f"expected exactly one of {', '.join(cls.model_fields)}, got {', '.join(known)}"
                )
            if not data:
                raise ValueError(
                    f"expected exactly one of {', '.join(cls.model_fields)}, got an empty mapping"
                )
        return data


class Limit(Model):
    """One thing the pattern does not take care of: a row of the limits table."""

    id: Slug = Field(
        description="Id of the row, used for its anchor `limit-<id>` and by references."
    )
    what: Label = Field(description="What the pattern leaves out, for example `The kernel`.")
    source: Text = Field(description="Where it comes from instead, for example `The host`.")
    breaks: Text = Field(description="What can go wrong because of it.")
    guard: Text = Field(description="How to guard against that.")


class Limits(Model):
    """What the pattern does not do, said as plainly as what it does. A table on the lesson
    page, under a heading with the id `limits`; a block of the cheat sheet; a flashcard per row."""

    title: Label = Field(
        description="The section's name, for example `What the image does not carry`; the cheat "
        "sheet and the flashcards use it."
    )
    intro: Text = Field(description="One or two sentences that lead into the table.")
    rows: list[Limit] = Field(min_length=1, max_length=30, description="The table's rows.")


class SnapshotLine(Model):
    """One line of the concept snapshot, and the question that recalls it on a flashcard."""

    text: Text = Field(description="The line, a statement of one idea.")
    cue: Text = Field(description="The question on the front of the line's flashcard.")


class GlossaryEntry(Model):
    """A term the lesson relies on. Its first mention in each section of every page links
    here, with the definition as a tooltip."""

    id: Slug = Field(description="Id of the entry, used for its anchor `glossary-<id>`.")
    term: Label = Field(description="The term as it is usually written, for example `image`.")
    definition: Text = Field(description="One or two plain sentences.")
    forms: list[Label] = Field(
        default_factory=list,
        max_length=10,
        description="Other spellings that also count as a mention, for example `images`. "
        "Matching ignores case and needs whole words.",
    )


class KeyMoment(Model):
    """An insight phrased as a question and its answer."""

    id: Slug = Field(description="Id of the key moment, used for its anchor and by references.")
    question: Text = Field(description="The question a learner would ask.")
    answer: Text = Field(description="The answer.")
    refs: list[Reference] = Field(
        default_factory=list, max_length=10, description="Parts of the lesson that show the answer."
    )


class CodeSample(Model):
    """A short code listing shown with a question."""

    language: Label = Field(description="Language for highlighting, for example `dockerfile`.")
    source: Code = Field(description="The code, as a YAML block scalar (`|`).")


class Option(Model):
    """One answer option of a question."""

    text: QuestionOption = Field(description="The option as shown to the reader.")
    why_wrong: QuestionText | None = Field(
        default=None,
        description="One line on why this option is wrong. Required for every wrong option, "
        "forbidden on the correct one.",
    )


class SolutionStep(Model):
    """One step of a worked solution."""

    title: QuestionLabel = Field(description="Short name of the step.")
    text: QuestionText = Field(description="The reasoning of the step.")


class Solution(Model):
    """A worked solution: the reasoning, then a quick way to check it."""

    steps: list[SolutionStep] = Field(
        min_length=1, max_length=20, description="The reasoning, step by step."
    )
    quick_check: QuestionText = Field(
        description="A one-line rule of thumb that confirms the answer."
    )


class QuestionBase(Model):
    """What every kind of question has."""

    id: Slug = Field(description="Id, unique across all the lesson's questions.")
    difficulty: Difficulty = Field(description="`easy`, `medium` or `hard`.")
    prompt: QuestionText = Field(description="The question. Inline `code` in backticks is allowed.")
    code: CodeSample | None = Field(default=None, description="Optional code shown with it.")
    explanation: QuestionText = Field(description="Why the answer is right.")
    hint: QuestionText = Field(description="A nudge that does not give the answer away.")
    hint_refs: list[Reference] = Field(
        default_factory=list, max_length=10, description="Parts of the lesson the hint points at."
    )
    solution: Solution | None = Field(default=None, description="Optional worked solution.")
    common_mistakes: list[QuestionText] = Field(
        default_factory=list,
        max_length=10,
        description="Mistakes learners often make on this question.",
    )


class SingleChoice(QuestionBase):
    """Pick the one right option. The default kind: `type` may be left out."""

    type: Literal["single-choice"] = Field(
        default="single-choice", description="`single-choice` (the default)."
    )
    options: list[Option] = Field(
        min_length=2, max_length=6, description="The options; shuffled for each attempt."
    )
    answer: QuestionAnswer = Field(
        description="The text of the correct option, exactly as in `options`."
    )


class MultipleChoice(QuestionBase):
    """Select all that apply; scored all or nothing."""

    type: Literal["multiple-choice"] = Field(description="`multiple-choice`.")
    options: list[Option] = Field(
        min_length=3, max_length=8, description="The options; shuffled for each attempt."
    )
    answers: list[QuestionAnswer] = Field(
        min_length=1,
        max_length=8,
        description="The texts of every correct option, exactly as in `options`.",
    )


class Ordering(QuestionBase):
    """Put items in order; operable by keyboard."""

    type: Literal["ordering"] = Field(description="`ordering`.")
    items: list[QuestionAnswer] = Field(
        min_length=3, max_length=8, description="The items in their correct order; shown shuffled."
    )


class ShortAnswer(QuestionBase):
    """Type a short answer, such as a command."""

    type: Literal["short-answer"] = Field(description="`short-answer`.")
    answer: QuestionAnswer = Field(description="The expected answer, for example a command.")
    judge: Literal["text", "command"] = Field(
        default="text",
        description="How an answer is judged. `text` (the default): equal to `answer` or one of "
        "`accepted` once white space is folded. `command`: `answer` is a container command "
        "(`docker build ...` or `docker run ...`), and an answer is right when it parses to the "
        "same command: options in any order, long or short forms (`-t`, `--tag`, `--tag=`), "
        "`./` for `.`, the longer subcommand names, and any container engine the glossary names "
        "(such as `podman`).",
    )
    accepted: list[QuestionAnswer] = Field(
        default_factory=list,
        max_length=20,
        description="Other answers that are also right, shown with the answer. With `judge: "
        "command` they are examples of equivalent forms, and each must judge as right.",
    )


QUESTION_TYPES = {
    "single-choice": SingleChoice,
    "multiple-choice": MultipleChoice,
    "ordering": Ordering,
    "short-answer": ShortAnswer,
}


def _question_type(data: object) -> str | None:
    if isinstance(data, dict):
        kind = data.get("type", "single-choice")
        # The author may have written a list or a mapping: only text can name a type.
        return kind if isinstance(kind, str) and kind in QUESTION_TYPES else None
    if isinstance(data, QuestionBase):
        return data.type  # type: ignore[attr-defined]
    return None  # nothing, text or a number where a question belongs


Question = Annotated[
    Annotated[SingleChoice, Tag("single-choice")]
    | Annotated[MultipleChoice, Tag("multiple-choice")]
    | Annotated[Ordering, Tag("ordering")]
    | Annotated[ShortAnswer, Tag("short-answer")],
    Discriminator(
        _question_type,
        custom_error_type="question_type",
        custom_error_message="unknown question type",
    ),
]


class Lesson(Model):
    """A lesson: one YAML file named `lesson.yml` in `docs/lessons/<id>/`, of at most 1 MB, in
    plain YAML (no anchors, aliases or tags). Every text field is plain text: no control
    characters other than tab and line break, no bidirectional controls, no snippet markers
    and no Mermaid directives. Commands, titles, ids and the answers of questions hold no
    invisible format characters (such as a zero-width space) either; prose may (a zero-width
    joiner is part of some emoji and some scripts)."""

    id: Slug = Field(description="The lesson's slug: the same as its folder name and its URL.")
    title: Title = Field(description="The lesson's title.")
    category: Category = Field(description="Area and topic.")
    tags: list[Slug] = Field(
        min_length=1, max_length=20, description="Keywords shown in the catalog."
    )
    minutes: int = Field(ge=1, le=240, description="About how long the lesson takes, in minutes.")
    difficulty: Difficulty = Field(description="Overall level: `easy`, `medium` or `hard`.")
    summary: Text = Field(description="One or two sentences for the catalog and the page header.")
    flow: Flow = Field(description="The process flow diagram.")
    execution_sample: ExecutionSample = Field(description="Commands that show the pattern.")
    example: Slug = Field(
        description="The lesson's runnable example: the folder `examples/<example>/`, with its "
        "`Dockerfile`, `commands.sh` (the execution sample's commands, in order, as a script), "
        "`expected-output.json` and `image-check.sh` (how CI checks the built image). The "
        "lesson page shows files from this folder only."
    )
    process_table: ProcessTable = Field(description="The process, step by step.")
    status_tracker: StatusTracker = Field(description="Variables across stages.")
    limits: Limits = Field(description="What the pattern does not take care of.")
    key_moments: list[KeyMoment] = Field(
        min_length=1, max_length=30, description="Insights as Q&A."
    )
    visual_quiz: list[Question] = Field(
        min_length=1,
        max_length=MAX_QUESTIONS,
        description="Questions answered by reading the diagram and tables.",
    )
    concept_snapshot: list[SnapshotLine] = Field(
        min_length=1, max_length=30, description="The lesson in a few lines, each also a flashcard."
    )
    transcript: Transcript = Field(
        description="The lesson as prose; blank lines separate paragraphs."
    )
    glossary: list[GlossaryEntry] = Field(
        min_length=1,
        max_length=100,
        description="The terms a reader must know; they become flashcards too.",
    )
    glossary_from: list[Slug] = Field(
        default_factory=list,
        max_length=20,
        description="Other lessons whose glossary terms this lesson's pages link too (their "
        "mentions lead to that lesson's glossary). By default a lesson's pages link only its "
        "own terms; where two lessons spell a term alike, the lesson's own wins, then the "
        "order of this list.",
    )
    practice: list[Question] = Field(
        min_length=1,
        max_length=MAX_QUESTIONS,
        description="Practice questions with worked solutions.",
    )
    test_bank: list[Question] = Field(
        min_length=10,
        max_length=MAX_QUESTIONS,
        description="Questions for “Test this pattern”: at least 10, at least 3 of each difficulty.",
    )
