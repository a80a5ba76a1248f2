"""A short answer marked `judge: command` is judged by what the command means: command.js read in
the real browser against a table of right and wrong forms, each wrong one with its reason; every
lesson's own answers and examples; and each lesson's build question on its page, answered as a
reader would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HOME, LESSONS, SLUGS
from tests.browser.helpers import question_block

pytestmark = pytest.mark.browser

BUILD = "docker build -t ml-model:1.0 ."
RUN = "docker run ml-model:1.0"
ENGINES = ["docker", "podman"]

# The verdict as data: {"ok": true} or {"ok": false, "reason": "... `code` ..."}, or "unreadable"
# when the expected answer is not a command the judge reads.
JUDGE = """async ([answer, expected, engines]) => {
  const { judge, describe } = await import("/assets/javascripts/command.js");
  const verdict = judge(answer, expected, engines);
  if (!verdict) return "unreadable";
  return verdict.ok ? { ok: true } : { ok: false, reason: describe(verdict.reason) };
}"""


@pytest.fixture(scope="module")
def judge(browser, base_url):
    """judge(answer, expected=BUILD, engines=ENGINES) in the browser, on a page of the site."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto(HOME)

    def run(answer, expected=BUILD, engines=ENGINES):
        return page.evaluate(JUDGE, [answer, expected, engines])

    yield run
    context.close()


SAME_BUILD = [
    BUILD,
    "docker build --tag ml-model:1.0 .",
    "docker build . -t ml-model:1.0",
    "docker build --tag=ml-model:1.0 ./",
    "docker build -tml-model:1.0 .",
    "docker build -t=ml-model:1.0 .",
    "docker image build -t ml-model:1.0 .",
    "docker buildx build -t ml-model:1.0 .",
    "docker build -f Dockerfile -t ml-model:1.0 .",
    "docker build --file ./Dockerfile -t ml-model:1.0 .",
    "docker build -t ml-model:1.0 --file=Dockerfile .//",
    "podman build -t ml-model:1.0 .",
    "   docker   build \t -t   ml-model:1.0    .   ",
    "docker build -t 'ml-model:1.0' \".\"",
    "docker build -t ml-model:1.0 -- .",
]

SAME_RUN = [
    RUN,
    "docker run --rm ml-model:1.0",
    "docker container run ml-model:1.0",
    "docker run -it ml-model:1.0",
    "docker run -ti --rm ml-model:1.0",
    "docker run --interactive --tty ml-model:1.0",
    "podman run ml-model:1.0",
    "docker run 'ml-model:1.0'",
]


@pytest.mark.parametrize("answer", SAME_BUILD)
def test_a_build_written_another_way_is_the_same_build(judge, answer):
    assert judge(answer) == {"ok": True}


@pytest.mark.parametrize("answer", SAME_RUN)
def test_a_run_written_another_way_is_the_same_run(judge, answer):
    assert judge(answer, RUN) == {"ok": True}


WRONG = [
    # the wrong command
    (
        BUILD,
        "docker run -t ml-model:1.0 .",
        "`docker run` starts a container from an image; "
        "this question asks for the command that builds an image.",
    ),
    (
        RUN,
        "docker build -t ml-model:1.0 .",
        "`docker build` builds an image; "
        "this question asks for the command that starts a container from an image.",
    ),
    (
        RUN,
        "docker start ml-model:1.0",
        "`docker start` starts a container that already exists; "
        "this question asks for the command that starts a container from an image.",
    ),
    (
        BUILD,
        "docker biuld -t ml-model:1.0 .",
        "`docker biuld` is not a command this question accepts: "
        "it asks for the command that builds an image.",
    ),
    (BUILD, "docker", "`docker` alone does nothing: it needs a subcommand."),
    (BUILD, "", "Type a command."),
    # the engine
    (
        BUILD,
        "Docker build -t ml-model:1.0 .",
        "Commands are case-sensitive: type `docker`, not `Docker`.",
    ),
    (
        BUILD,
        "docker Build -t ml-model:1.0 .",
        "Commands are case-sensitive: type `build`, not `Build`.",
    ),
    (
        BUILD,
        "nerdctl build -t ml-model:1.0 .",
        "`nerdctl` is not an engine this question accepts: use `docker` or `podman`.",
    ),
    (
        BUILD,
        "make build -t ml-model:1.0 .",
        "The command starts with `docker` or `podman`, not `make`.",
    ),
    (BUILD, "$ docker build -t ml-model:1.0 .", "Leave out the `$` prompt: type only the command."),
    (BUILD, "sudo docker build -t ml-model:1.0 .", "Leave out `sudo`: type only the command."),
    # the build's context, tags and file
    (BUILD, "docker build -t ml-model:1.0", "The build needs a context: the `.` at the end."),
    (
        BUILD,
        "docker build -t ml-model:2.0 .",
        "`ml-model:2.0` is not the tag the question asks for.",
    ),
    (
        BUILD,
        "docker build -t ml-model:latest .",
        "`ml-model:latest` is not the tag the question asks for.",
    ),
    (
        BUILD,
        "docker build -t ml-model .",
        "`ml-model` (that is, `ml-model:latest`) is not the tag the question asks for.",
    ),
    (
        BUILD,
        "docker build -t ml-model:1.0 -t ml-model:latest .",
        "`ml-model:latest` is not the tag the question asks for.",
    ),
    (
        BUILD,
        "docker build .",
        "Without `-t ml-model:1.0` the image gets no name: the question tags it `ml-model:1.0`.",
    ),
    (BUILD, "docker build -t -f Dockerfile .", "`-t` needs a value."),
    (BUILD, "docker build --tag= .", "`--tag=` needs a value."),
    (
        BUILD,
        "docker build -t ml-model:1.0 src",
        "`src` is not the build context: the question builds from the current directory, `.`.",
    ),
    (
        BUILD,
        "docker build -t ml-model:1.0 . src",
        "`docker build` takes one context, but this gives more: `.` and `src`.",
    ),
    (
        BUILD,
        "docker build -f Dockerfile.dev -t ml-model:1.0 .",
        "`-f Dockerfile.dev` builds from another file: the question uses `Dockerfile`.",
    ),
    (
        BUILD,
        "docker build -f Dockerfile -f Dockerfile -t ml-model:1.0 .",
        "`-f` is given twice: a build reads one Dockerfile.",
    ),
    # options that change the meaning, or are unknown
    (BUILD, "docker build --foo -t ml-model:1.0 .", "Unknown option `--foo`."),
    (BUILD, "docker --debug build -t ml-model:1.0 .", "Unknown option `--debug`."),
    (
        BUILD,
        "docker build -tag ml-model:1.0 .",
        "Unknown option `-tag`: did you mean `--tag`?",
    ),
    (
        BUILD,
        "docker build --no-cache -t ml-model:1.0 .",
        "`--no-cache` builds every layer again without the cache: "
        "the question asks for the command without it.",
    ),
    (
        RUN,
        "docker run -d ml-model:1.0",
        "`-d` runs the container in the background, so its output is not shown: "
        "the question asks for the command without it.",
    ),
    (
        RUN,
        "docker run -itd ml-model:1.0",
        "`-d` runs the container in the background, so its output is not shown: "
        "the question asks for the command without it.",
    ),
    (RUN, "docker run -rm ml-model:1.0", "Unknown option `-rm`: did you mean `--rm`?"),
    (
        RUN,
        "docker run --name model ml-model:1.0",
        "`--name` gives the container a name: the question asks for the command without it.",
    ),
    # the run's image and command
    (RUN, "docker run", "`docker run` needs the image to start: `ml-model:1.0`."),
    (RUN, "docker run ml-model:2.0", "`ml-model:2.0` is not the image the question asks for."),
    (
        RUN,
        "docker run ml-model:1.0 python -c 1",
        "`python -c 1` after the image replaces the image's own command: leave it out.",
    ),
    (
        RUN,
        "docker run -t ml-model:1.0 .",
        "`.` after the image replaces the image's own command: leave it out.",
    ),
    (
        RUN,
        "docker run ml-model:1.0 --rm",
        "`--rm` after the image goes to the container as its command: options go before it.",
    ),
    # more than one command, or shell that is not plain words
    (
        BUILD,
        "docker build -t ml-model:1.0 . && rm -rf /",
        "`&&` runs a second command after the first: type one command, with nothing before or "
        "after it.",
    ),
    (
        BUILD,
        "docker build -t ml-model:1.0 .; ls",
        "`;` ends one command and starts another: type one command, with nothing before or after it.",
    ),
    (
        BUILD,
        "docker build -t ml-model:1.0 . | tee log",
        "`|` sends the output into a second command: type one command, with nothing before or "
        "after it.",
    ),
    (
        BUILD,
        "docker build -t ml-model:1.0 . > log",
        "`>` writes the output to a file: type one command, with nothing before or after it.",
    ),
    (
        BUILD,
        "docker build -t `whoami` .",
        "A backtick runs another command and pastes in its output: type one command, with "
        "nothing before or after it.",
    ),
    (
        BUILD,
        'docker build -t "$(whoami)" .',
        "`$(` runs another command and pastes in its output: type one command, with nothing "
        "before or after it.",
    ),
    (
        BUILD,
        'docker build -t "ml-model:$TAG" .',
        "`$TAG` is a shell variable: type its value instead.",
    ),
    (BUILD, "docker build -t 'ml-model:1.0 .", "A quote `'` is opened and never closed."),
    (BUILD, "docker build -t ml-model:1.0 . # done", "`#` starts a comment: leave it out."),
    (BUILD, "docker build -t ml-model:1.0 " + "." * 1000, "That is too long to be one command."),
]


@pytest.mark.parametrize(
    "expected, answer, reason",
    WRONG,
    ids=[f"{answer[:40]} (for {expected.split()[1]})" for expected, answer, _ in WRONG],
)
def test_a_different_command_is_wrong_and_says_why(judge, expected, answer, reason):
    assert judge(answer, expected) == {"ok": False, "reason": reason}


# A POSIX shell splits words at spaces, tabs and new lines only: any other space, or a character
# that cannot be seen, is part of a word, where it was pasted, in quotes or not.
UNSPLIT = [
    ("docker\u00a0build -t ml-model:1.0 .", "a no-break space (U+00A0)", "space"),
    ("docker build -t ml-model:1.0\u2009.", "a thin space (U+2009)", "space"),
    ("docker build\u3000-t ml-model:1.0 .", "an ideographic space (U+3000)", "space"),
    ("docker build -t ml-model:1.0 .\u202f", "a narrow no-break space (U+202F)", "space"),
    ("\u00a0docker build -t ml-model:1.0 .", "a no-break space (U+00A0)", "space"),
    ("docker build -t 'ml-model:1.0\u00a0' .", "a no-break space (U+00A0)", "space"),
    ("docker build -t ml-model:1.0\\\u00a0.", "a no-break space (U+00A0)", "space"),
    ("docker build -t ml-\u200bmodel:1.0 .", "a zero-width space (U+200B)", "invisible"),
    ("\ufeffdocker build -t ml-model:1.0 .", "a byte order mark (U+FEFF)", "invisible"),
    ('docker build -t "ml-model\u2060:1.0" .', "a word joiner (U+2060)", "invisible"),
]
WHY = {
    "space": "not a plain space: a shell reads it as part of a word, not as a break between two. "
    "Type a plain space instead.",
    "invisible": "which cannot be seen: a shell reads it as part of a word. Delete it.",
}


@pytest.mark.parametrize(
    "answer, named, kind",
    UNSPLIT,
    ids=[f"{n}-{named.split('(')[1][:-1]}" for n, (_, named, _) in enumerate(UNSPLIT)],
)
def test_a_space_a_shell_does_not_split_at_makes_a_command_wrong_and_is_named(
    judge, answer, named, kind
):
    assert judge(answer) == {
        "ok": False,
        "reason": f"This command contains {named}, {WHY[kind]}",
    }


def test_an_engine_the_page_does_not_name_is_wrong(judge):
    assert judge("podman build -t ml-model:1.0 .", BUILD, ["docker"]) == {
        "ok": False,
        "reason": "`podman` is not an engine this question accepts: use `docker`.",
    }


@pytest.mark.parametrize("expected", ["docker ps", "docker build -t ml-model:1.0", "ls && ls"])
def test_an_expected_answer_the_judge_cannot_read_is_left_to_text_judging(judge, expected):
    assert judge(expected, expected) == "unreadable"


# The page's command questions: the expected answer, then the examples, as the page shows them.
COMMAND_QUESTIONS = """() => [...document.querySelectorAll("[data-judge=command]")].map((input) => {
  const li = input.closest(".quiz-question");
  return {
    id: li.dataset.questionId,
    engines: input.dataset.engines.split(" "),
    answers: [...li.querySelectorAll("[data-accepted-answer]")].map((el) => el.textContent),
  };
})"""


def test_every_command_question_of_the_lesson_judges_its_own_answer_and_examples_right(judge, page):
    questions = []
    lessons = LESSONS
    for slug in lessons:  # every lesson's page, and its test page with the test bank
        for path in (f"/lessons/{slug}/", f"/lessons/{slug}/test/"):
            page.goto(path)
            questions += page.evaluate(COMMAND_QUESTIONS)
    marked = [
        q.id
        for lesson in lessons.values()
        for q in [*lesson.visual_quiz, *lesson.practice, *lesson.test_bank]
        if getattr(q, "judge", "text") == "command"
    ]
    assert sorted(q["id"] for q in questions) == sorted(marked) and marked

    for question in questions:
        expected = question["answers"][0]
        assert len(question["answers"]) > 1, f"{question['id']} shows no examples"
        for answer in question["answers"]:
            verdict = judge(answer, expected, question["engines"])
            assert verdict == {"ok": True}, f"{question['id']}: {answer!r} -> {verdict}"


# The lesson page's questions below: a build of the current directory, judged as a command.
BUILD_FORM = re.compile(r"(?P<engine>\S+) build -t (?P<image>\S+) \.")


def builds_here(question) -> bool:
    return getattr(question, "judge", "text") == "command" and bool(
        BUILD_FORM.fullmatch(question.answer)
    )


# The lessons whose practice has such a question (if none had, every lesson would be tried, and
# each would fail saying it has none).
BUILDING = [slug for slug in SLUGS if any(builds_here(q) for q in LESSONS[slug].practice)] or SLUGS


def open_build_question(page, lesson):
    """The lesson page, once its quiz has started, and its build question with the engine and
    the image its answer names."""
    question = lesson.question(builds_here)
    page.goto(lesson.url)
    # Typed once the quiz has started: starting restores the saved answers into the fields
    # (failed once on a fresh clone, the text typed before it was gone).
    expect(page.locator(".quiz--enhanced")).to_have_count(2)
    engine, image = BUILD_FORM.fullmatch(question.answer).group("engine", "image")
    return question_block(page, question), question, engine, image


def unlisted(block, question, image) -> str:
    """The question's build written in a way its answers do not list, with the last engine the
    page accepts (another than the answer's, where the glossary names one)."""
    engines = block.get_by_label("Your answer").get_attribute("data-engines").split()
    same = f"{engines[-1]} build . --tag={image}"
    assert same not in [question.answer, *question.accepted]
    return same


@pytest.mark.parametrize("lesson", BUILDING, indirect=True)
def test_the_lesson_question_takes_an_equivalent_command_and_explains_a_wrong_one(
    page, page_errors, lesson
):
    block, question, engine, image = open_build_question(page, lesson)
    field = block.get_by_label("Your answer")
    feedback = block.get_by_role("status")

    field.fill(unlisted(block, question, image))
    field.press("Enter")
    expect(feedback).to_contain_text("Correct.")
    expect(block).to_have_attribute("data-result", "correct")

    field.fill(f"{engine} build -t {image}")
    block.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Not right. The build needs a context: the . at the end.")
    expect(feedback.locator("code")).to_have_text(["."])  # shown as code
    expect(block).to_have_attribute("data-result", "incorrect")

    field.fill(f"{engine} run {image}")
    block.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text(
        f"{engine} run starts a container from an image; "
        "this question asks for the command that builds an image."
    )
    assert page_errors == []


@pytest.mark.parametrize("lesson", BUILDING, indirect=True)
def test_the_lesson_question_refuses_its_answer_typed_with_a_no_break_space_and_says_why(
    page, page_errors, lesson
):
    block, question, _, _ = open_build_question(page, lesson)
    field = block.get_by_label("Your answer")
    feedback = block.get_by_role("status")

    field.fill(question.answer.replace(" ", "\u00a0", 1))
    field.press("Enter")
    expect(feedback).to_contain_text("Not right. This command contains a no-break space (U+00A0)")
    expect(block).to_have_attribute("data-result", "incorrect")

    block.get_by_role("button", name="Try again").click()
    field.fill(question.answer)
    field.press("Enter")
    expect(feedback).to_contain_text("Correct.")
    expect(block).to_have_attribute("data-result", "correct")
    assert page_errors == []


@pytest.mark.parametrize("lesson", BUILDING, indirect=True)
def test_what_the_reader_typed_is_shown_in_a_reason_as_text(page, page_errors, lesson):
    block, _, engine, _ = open_build_question(page, lesson)
    hostile = "<img src=x onerror=window.__ran=1>:1.0"

    block.get_by_label("Your answer").fill(f"{engine} build -t '{hostile}' .")
    block.get_by_role("button", name="Check answer").click()

    feedback = block.get_by_role("status")
    expect(feedback.locator("code")).to_have_text([hostile])
    expect(feedback.locator("img")).to_have_count(0)
    assert page.evaluate("window.__ran") is None
    assert page_errors == []


# When command.js arrives ---------------------------------------------------------------------


@pytest.mark.parametrize("lesson", BUILDING, indirect=True)
def test_the_judge_is_fetched_only_once_a_reader_starts_on_a_command_question(
    page, page_errors, lesson
):
    fetched = []
    page.on("request", lambda r: r.url.endswith("/command.js") and fetched.append(r.url))
    block, _, engine, image = open_build_question(page, lesson)
    page.wait_for_load_state("networkidle")
    assert fetched == []  # not with the quiz, and not for a question nobody has touched

    with page.expect_request(lambda r: r.url.endswith("/command.js")):
        block.get_by_label("Your answer").focus()
    block.get_by_label("Your answer").fill(f"{engine} build --tag {image} .")
    block.get_by_role("button", name="Check answer").click()
    expect(block).to_have_attribute("data-result", "correct")
    assert len(fetched) == 1 and page_errors == []


@pytest.mark.parametrize("lesson", BUILDING, indirect=True)
def test_a_check_before_the_judge_has_arrived_waits_for_it(page, page_errors, lesson):
    block, _, engine, image = open_build_question(page, lesson)
    # Filled without focus, then checked at once: the judge is fetched by the check itself.
    block.get_by_label("Your answer").evaluate(
        "(field, typed) => (field.value = typed)", f"{engine} build . -t {image}"
    )
    block.get_by_role("button", name="Check answer").click()
    expect(block).to_have_attribute("data-result", "correct")
    expect(block.get_by_role("status")).to_contain_text("Correct.")
    assert page_errors == []


@pytest.mark.parametrize("lesson", BUILDING, indirect=True)
def test_without_the_judge_a_command_is_compared_as_text_and_the_page_carries_on(
    new_context, lesson
):
    context = new_context()
    context.route("**/command.js", lambda route: route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    block, question, _, image = open_build_question(page, lesson)
    field = block.get_by_label("Your answer")
    feedback = block.get_by_role("status")

    field.fill(unlisted(block, question, image))  # the same build, but not listed
    field.press("Enter")
    expect(feedback).to_contain_text("is not one of the accepted answers")
    block.get_by_role("button", name="Try again").click()
    field.fill(question.answer)
    field.press("Enter")
    expect(block).to_have_attribute("data-result", "correct")
    assert errors == []
