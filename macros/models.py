"""The schema of a lesson file.

Every field carries a description: the contributor guide's field reference is generated from
these models, so the description is the documentation. Models are strict (no silent coercion of
`yes` to True or `1` to "1") and forbid unknown keys, so a typo is an error, not a dropped field.
Checks that need more than one field (answers among options, references that exist, unique ids)
live in `checks.py`, where each problem can be reported at its own path.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    Field(description="kebab-case id: lower-case letters, digits and single hyphens"),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Difficulty = Literal["easy", "medium", "hard"]
QUIZ_SECTIONS = ("visual_quiz", "practice", "test_bank")  # the Lesson fields that hold questions


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class Category(Model):
    """Where the lesson sits in the catalog."""

    area: Text = Field(description="Broad area, for example `MLOps`.")
    topic: Text = Field(description="Topic inside the area, for example `devops`.")


class FlowStep(Model):
    """One node of the process flow diagram."""

    id: Slug = Field(description="Id of the step, used by edges and references.")
    label: Text = Field(description="Text shown in the diagram node.")


class FlowEdge(Model):
    """An arrow between two steps of the process flow."""

    source: Slug = Field(alias="from", description="Id of the step the arrow starts at.")
    target: Slug = Field(alias="to", description="Id of the step the arrow points to.")
    label: Text | None = Field(default=None, description="Optional text on the arrow.")


class Flow(Model):
    """The process flow, drawn as a diagram."""

    caption: Text = Field(description="One sentence saying what the flow shows.")
    steps: list[FlowStep] = Field(min_length=2, description="The steps, in reading order.")
    edges: list[FlowEdge] = Field(min_length=1, description="Arrows between steps.")


class Command(Model):
    """One shell command of the execution sample."""

    command: Text = Field(description="The command exactly as a reader would type it.")
    explanation: Text = Field(description="What the command does.")


class ExecutionSample(Model):
    """Commands a reader can run to see the pattern."""

    caption: Text = Field(description="What running the commands achieves.")
    commands: list[Command] = Field(min_length=1, description="The commands, in order.")


class ProcessRow(Model):
    """One row of the process table."""

    step: int = Field(ge=1, description="Step number: 1 for the first row, then 2, 3, ...")
    action: Text = Field(description="What is done at this step.")
    result: Text = Field(description="What happens as a result.")
    environment_state: Text = Field(description="The state of the environment after the step.")
    flow_steps: list[Slug] = Field(
        min_length=1,
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

    rows: list[ProcessRow] = Field(min_length=1, description="The rows, numbered from 1.")
    takeaway: Text = Field(description="The one-line lesson of the table.")


class TrackerStage(Model):
    """A column of the status tracker: a moment in the process."""

    id: Slug = Field(description="Id of the stage, used as a key in each variable's values.")
    label: Text = Field(description="Column heading.")


class TrackerVariable(Model):
    """A row of the status tracker: something whose value changes across stages."""

    id: Slug = Field(description="Id of the variable, used by references.")
    label: Text = Field(description="Row heading.")
    values: dict[Slug, Text] = Field(
        description="The value at each stage: one entry per stage id, no more, no fewer."
    )
    evidence: Slug | None = Field(
        default=None,
        description="Id of a section on the lesson's page that shows these values for real, "
        "such as a run of the example; the row links to it.",
    )


class StatusTracker(Model):
    """How key variables change across the stages of the process."""

    stages: list[TrackerStage] = Field(min_length=1, description="The columns, in order.")
    variables: list[TrackerVariable] = Field(min_length=1, description="The rows.")


class TrackerCell(Model):
    """The address of one status tracker cell."""

    variable: Slug = Field(description="Id of a status tracker variable.")
    stage: Slug = Field(description="Id of a status tracker stage.")


class Reference(Model):
    """A pointer to part of the lesson, rendered as a link. Give exactly one key."""

    table_row: int | None = Field(default=None, description="Step number of a process table row.")
    tracker_cell: TrackerCell | None = Field(default=None, description="A status tracker cell.")
    key_moment: Slug | None = Field(default=None, description="Id of a key moment.")
    flow_step: Slug | None = Field(default=None, description="Id of a process flow step.")

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


class SnapshotLine(Model):
    """One line of the concept snapshot, and the question that recalls it on a flashcard."""

    text: Text = Field(description="The line, a statement of one idea.")
    cue: Text = Field(description="The question on the front of the line's flashcard.")


class GlossaryEntry(Model):
    """A term the lesson relies on. Its first mention in each section of every page links
    here, with the definition as a tooltip."""

    id: Slug = Field(description="Id of the entry, used for its anchor `glossary-<id>`.")
    term: Text = Field(description="The term as it is usually written, for example `image`.")
    definition: Text = Field(description="One or two plain sentences.")
    forms: list[Text] = Field(
        default_factory=list,
        description="Other spellings that also count as a mention, for example `images`. "
        "Matching ignores case and needs whole words.",
    )


class KeyMoment(Model):
    """An insight phrased as a question and its answer."""

    id: Slug = Field(description="Id of the key moment, used for its anchor and by references.")
    question: Text = Field(description="The question a learner would ask.")
    answer: Text = Field(description="The answer.")
    refs: list[Reference] = Field(
        default_factory=list, description="Parts of the lesson that show the answer."
    )


class CodeSample(Model):
    """A short code listing shown with a question."""

    language: Text = Field(description="Language for highlighting, for example `dockerfile`.")
    source: Text = Field(description="The code, as a YAML block scalar (`|`).")


class Option(Model):
    """One answer option of a question."""

    text: Text = Field(description="The option as shown to the reader.")
    why_wrong: Text | None = Field(
        default=None,
        description="One line on why this option is wrong. Required for every wrong option, "
        "forbidden on the correct one.",
    )


class SolutionStep(Model):
    """One step of a worked solution."""

    title: Text = Field(description="Short name of the step.")
    text: Text = Field(description="The reasoning of the step.")


class Solution(Model):
    """A worked solution: the reasoning, then a quick way to check it."""

    steps: list[SolutionStep] = Field(min_length=1, description="The reasoning, step by step.")
    quick_check: Text = Field(description="A one-line rule of thumb that confirms the answer.")


class QuestionBase(Model):
    """What every kind of question has."""

    id: Slug = Field(description="Id, unique across all the lesson's questions.")
    difficulty: Difficulty = Field(description="`easy`, `medium` or `hard`.")
    prompt: Text = Field(description="The question. Inline `code` in backticks is allowed.")
    code: CodeSample | None = Field(default=None, description="Optional code shown with it.")
    explanation: Text = Field(description="Why the answer is right.")
    hint: Text = Field(description="A nudge that does not give the answer away.")
    hint_refs: list[Reference] = Field(
        default_factory=list, description="Parts of the lesson the hint points at."
    )
    solution: Solution | None = Field(default=None, description="Optional worked solution.")
    common_mistakes: list[Text] = Field(
        default_factory=list, description="Mistakes learners often make on this question."
    )


class SingleChoice(QuestionBase):
    """Pick the one right option. The default kind: `type` may be left out."""

    type: Literal["single-choice"] = Field(
        default="single-choice", description="`single-choice` (the default)."
    )
    options: list[Option] = Field(
        min_length=2, max_length=6, description="The options; shuffled for each attempt."
    )
    answer: Text = Field(description="The text of the correct option, exactly as in `options`.")


class MultipleChoice(QuestionBase):
    """Select all that apply; scored all or nothing."""

    type: Literal["multiple-choice"] = Field(description="`multiple-choice`.")
    options: list[Option] = Field(
        min_length=3, max_length=8, description="The options; shuffled for each attempt."
    )
    answers: list[Text] = Field(
        min_length=1, description="The texts of every correct option, exactly as in `options`."
    )


class Ordering(QuestionBase):
    """Put items in order; operable by keyboard."""

    type: Literal["ordering"] = Field(description="`ordering`.")
    items: list[Text] = Field(
        min_length=3, max_length=8, description="The items in their correct order; shown shuffled."
    )


class ShortAnswer(QuestionBase):
    """Type a short answer, such as a command; compared after normalising white space."""

    type: Literal["short-answer"] = Field(description="`short-answer`.")
    answer: Text = Field(description="The expected answer, for example a command.")
    accepted: list[Text] = Field(
        default_factory=list, description="Other answers that are also right (variants)."
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
        return kind if kind in QUESTION_TYPES else None
    return getattr(data, "type", None)


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
    """A lesson: one YAML file named `lesson.yml` in `docs/lessons/<id>/`."""

    id: Slug = Field(description="The lesson's slug: the same as its folder name and its URL.")
    title: Text = Field(description="The lesson's title.")
    category: Category = Field(description="Area and topic.")
    tags: list[Slug] = Field(min_length=1, description="Keywords shown in the catalog.")
    minutes: int = Field(ge=1, le=240, description="About how long the lesson takes, in minutes.")
    difficulty: Difficulty = Field(description="Overall level: `easy`, `medium` or `hard`.")
    summary: Text = Field(description="One or two sentences for the catalog and the page header.")
    flow: Flow = Field(description="The process flow diagram.")
    execution_sample: ExecutionSample = Field(description="Commands that show the pattern.")
    process_table: ProcessTable = Field(description="The process, step by step.")
    status_tracker: StatusTracker = Field(description="Variables across stages.")
    key_moments: list[KeyMoment] = Field(min_length=1, description="Insights as Q&A.")
    visual_quiz: list[Question] = Field(
        min_length=1, description="Questions answered by reading the diagram and tables."
    )
    concept_snapshot: list[SnapshotLine] = Field(
        min_length=1, description="The lesson in a few lines, each also a flashcard."
    )
    transcript: Text = Field(description="The lesson as prose; blank lines separate paragraphs.")
    glossary: list[GlossaryEntry] = Field(
        min_length=1, description="The terms a reader must know; they become flashcards too."
    )
    practice: list[Question] = Field(
        min_length=1, description="Practice questions with worked solutions."
    )
    test_bank: list[Question] = Field(
        min_length=10,
        description="Questions for “Test this pattern”: at least 10, at least 3 of each difficulty.",
    )
