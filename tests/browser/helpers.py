"""Small helpers shared by the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def rgb(css: str) -> tuple[float, float, float]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' -> (1, 2, 3); alpha is ignored."""
    numbers = re.findall(r"[\d.]+", css)
    if len(numbers) < 3:
        raise ValueError(f"expected an rgb() colour, got {css!r}")
    return tuple(float(n) for n in numbers[:3])


def over(colour: str, backdrop: str) -> str:
    """A colour with transparency as it shows over an opaque backdrop, as 'rgb(r, g, b)'."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    mixed = [c * alpha + b * (1 - alpha) for c, b in zip(numbers[:3], rgb(backdrop), strict=True)]
    return "rgb({:.0f}, {:.0f}, {:.0f})".format(*mixed)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        def channel(value: float) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# axe-core over part of the page, once animations have settled (text fading in fails contrast).
_RUN_AXE_ON = """async (selectors) => {
  const moving = document.getAnimations().filter((a) => a.effect.getTiming().iterations !== Infinity);
  // A cancelled animation (restyled by lay_out_everything, say) has settled too.
  await Promise.all(moving.map((animation) => animation.finished.catch(() => null)));
  const { violations, passes } = await axe.run({ include: selectors.map((s) => [s]) });
  return {
    passed: passes.map((rule) => rule.id),
    violations: violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    })),
  };
}"""


def run_axe_on(page, *selectors: str) -> dict:
    """{"passed": rule ids, "violations": [...]} for the elements matching `selectors` (axe-core
    must be on the page)."""
    lay_out_everything(page)
    return page.evaluate(_RUN_AXE_ON, list(selectors))


def lay_out_everything(page) -> None:
    """Before axe: it reads colours from what the browser has drawn, and the questions, cards
    and glossary entries far from the screen are not drawn until a reader scrolls near them
    (content-visibility: auto, site.css), so axe would judge their text against whatever it
    found under an empty box."""
    page.evaluate(
        """() => {
          const style = document.createElement("style");
          style.textContent = "* { content-visibility: visible !important; }";
          document.head.append(style);
        }"""
    )


def words(text: str) -> str:
    return " ".join(text.split())


# Quizzes: the lesson's own data says what a right or a wrong answer is.

# xorshift32 in place of Math.random, so shuffles are the same on every run.
SEEDED_RANDOM = """(() => {
  let x = %d;
  Math.random = () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
})();"""


def plain(text: str) -> str:
    """Text as the page shows it: inline `code` loses its backticks."""
    return words(text.replace("`", ""))


def option_name(text: str) -> re.Pattern:
    """Accessible name of a radio or checkbox: the option's text. Its letter is drawn by
    site.css and is not part of the name: no answer or explanation refers to a letter."""
    # Playwright writes the pattern between slashes: a bare "/" would end it.
    escaped = re.escape(plain(text)).replace("/", "\\/")
    return re.compile(rf"^{escaped}$")


def question_block(page, question):
    return page.locator(f"#question-{question.id}")


def option_texts(block) -> list[str]:
    return [words(t) for t in block.locator(".quiz-option__text").all_text_contents()]


def ordering_texts(block) -> list[str]:
    return [words(t) for t in block.locator(".quiz-ordering__text").all_text_contents()]


def answer(block, question, right: bool = True) -> None:
    """Answers a question in `block` the way a reader would, rightly or not; does not check it."""
    if question.type == "single-choice":
        wrong = next(o.text for o in question.options if o.text != question.answer)
        block.get_by_role("radio", name=option_name(question.answer if right else wrong)).check()
    elif question.type == "multiple-choice":
        picks = question.answers if right else [question.answers[0], _first_wrong(question)]
        for text in picks:
            block.get_by_role("checkbox", name=option_name(text)).check()
    elif question.type == "short-answer":
        block.get_by_label("Your answer").fill(question.answer if right else "not the answer")
    elif right:  # ordering: a wrong order is what the reader starts with
        for position, text in enumerate(question.items):
            up = block.get_by_role("button", name=f"Move up: {plain(text)}")
            while ordering_texts(block).index(plain(text)) > position:
                up.click()


def check(page, question, right: bool):
    """Answer a question right or wrong, press Check answer, and wait for the verdict."""
    block = question_block(page, question)
    answer(block, question, right)
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_role("status")).to_contain_text("Correct." if right else "Not right.")
    return block


def _first_wrong(question) -> str:
    return next(o.text for o in question.options if o.text not in question.answers)


def take_test(test, count: int, right, bank) -> list[tuple]:
    """Answers every question of a run; `right(question, number)` says whether to get it right.
    Returns (question, answered rightly, order shown) for each, in the order asked. `bank`: the
    lesson's test bank, which the run draws from."""
    by_id = {q.id: q for q in bank}
    asked = []
    for number in range(1, count + 1):
        group = test.get_by_role("group", name=re.compile(rf"^Question {number} of {count}\b"))
        expect(group).to_be_visible()
        expect(test.get_by_role("group", name=re.compile(r"^Question \d"))).to_have_count(
            1
        )  # one at a time
        expect(test.get_by_role("progressbar")).to_have_attribute("value", str(number - 1))
        block = group.locator("xpath=ancestor::li[1]")
        question = by_id[block.get_attribute("data-question-id")]
        shown = ordering_texts(block) if question.type == "ordering" else option_texts(block)
        correct = right(question, number)
        answer(block, question, correct)
        block.get_by_role("button", name="Check answer").click()
        expect(block.get_by_role("status")).to_contain_text("Correct." if correct else "Not right.")
        expect(block.get_by_role("button", name="Check answer")).to_be_hidden()
        expect(test.get_by_role("progressbar")).to_have_attribute("value", str(number))
        forward = test.get_by_role(
            "button", name="See your result" if number == count else "Next question"
        )
        expect(forward).to_be_focused()
        forward.click()
        asked.append((question, correct, shown))
    return asked


# The colours a reader sees: node text over the node's box, the box over the page.
NODE_COLOURS = """() => {
  const drawing = [...document.querySelectorAll('.flow-diagram svg')].find((svg) => svg.checkVisibility());
  // A node the step-through does not highlight: which ones it does depends on the lesson.
  const node = drawing.querySelector('g.node:not([data-step-current])');
  const style = (el) => getComputedStyle(el);
  return {
    page: style(document.body).backgroundColor,
    fill: style(node.querySelector('.label-container')).fill,
    stroke: style(node.querySelector('.label-container')).stroke,
    text: style(node.querySelector('text')).fill,
    line: style(drawing.querySelector('.flowchart-link')).stroke,
    // Material's primary colour in light mode, its accent in dark mode, as the page has them.
    border: (() => {
      const probe = document.body.appendChild(document.createElement('span'));
      const dark = document.body.getAttribute('data-md-color-scheme') === 'slate';
      probe.style.color = dark ? 'var(--md-accent-fg-color)' : 'var(--md-primary-fg-color)';
      const colour = style(probe).color;
      probe.remove();
      return colour;
    })(),
  };
}"""


def seen(colours: dict) -> dict:
    fill = over(colours["fill"], colours["page"])
    text = over(colours["text"], fill)
    return {"fill": fill, "text": text, "stroke": colours["stroke"], "border": colours["border"]}
