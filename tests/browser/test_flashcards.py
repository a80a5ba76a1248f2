"""Each lesson's flashcards: one card at a time in page order, missed cards back sooner, a
summary at the end; every card listed without JavaScript, still with reduced motion, clean for
axe in both palettes, printable in full, and working again after instant navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, HOME
from tests.browser.helpers import plain, run_axe_on, words
from tests.browser.test_accessibility import SCHEMES, describe

pytestmark = pytest.mark.browser


def deck_of(lesson) -> list[tuple[str, str]]:
    """(front, back) of every card, in page order: key moments, snapshot lines, limits, then
    terms."""
    data = lesson.data
    return [
        *((plain(moment.question), plain(moment.answer)) for moment in data.key_moments),
        *((plain(line.cue), plain(line.text)) for line in data.concept_snapshot),
        *(
            (
                f"{plain(row.what)}: where does it come from, and what can break?",
                f"{plain(row.source)} {plain(row.breaks)} Guard: {plain(row.guard)}",
            )
            for row in data.limits.rows
        ),
        *((f"What is meant by {plain(e.term)}?", plain(e.definition)) for e in data.glossary),
    ]


def fronts_of(lesson) -> list[str]:
    return [front for front, _ in deck_of(lesson)]


def open_deck(page, lesson):
    page.goto(lesson.url)
    deck = page.locator(".flashcards--enhanced")
    expect(deck).to_have_count(1)
    return deck


def shown_card(deck):
    card = deck.locator(".flashcard:visible")
    expect(card).to_have_count(1)  # one at a time
    return card


def shown_front(deck) -> str:
    return words(shown_card(deck).locator(".flashcard__front").text_content())


def button(deck, name: str):
    return deck.get_by_role("button", name=name, exact=True)


def answer(deck, knew: bool) -> str:
    """Flips the card shown and says whether it was known; returns the card's front."""
    front = shown_front(deck)
    button(deck, "Show answer").click()
    button(deck, "Knew it" if knew else "Didn't know it").click()
    return front


def result(deck):
    return deck.get_by_role("region", name="Flashcards result")


def end_of_deck(deck):
    return deck.get_by_role("heading", name="End of the deck")


def go_through(deck, total: int, missed=lambda front, seen: False) -> list[str]:
    """Answers every card until the deck of `total` cards ends; `missed(front, fronts so far)`
    says which cards were not known. Returns the fronts in the order they were dealt."""
    seen: list[str] = []
    limit = 4 * total  # more cards than any sitting in these tests deals
    while not end_of_deck(deck).is_visible():
        assert len(seen) < limit, f"the deck never ended: {seen}"
        front = shown_front(deck)
        answer(deck, knew=not missed(front, seen))
        seen.append(front)
    return seen


def test_the_deck_shows_one_card_at_a_time_starting_with_the_first_key_moment(page, lesson):
    cards = deck_of(lesson)
    deck = open_deck(page, lesson)
    first_front, first_back = cards[0]

    assert shown_front(deck) == first_front == plain(lesson.data.key_moments[0].question)
    expect(deck.get_by_text(f"Card 1 of {len(cards)}")).to_be_visible()
    expect(deck.get_by_role("progressbar", name="Cards known")).to_have_attribute("value", "0")
    expect(deck.get_by_text(first_back)).to_be_hidden()
    expect(button(deck, "Knew it")).to_be_hidden()

    flip = button(deck, "Show answer")
    expect(flip).to_have_attribute("aria-expanded", "false")
    flip.focus()
    page.keyboard.press("Space")

    expect(shown_card(deck).get_by_text(first_back)).to_be_visible()
    expect(flip).to_be_hidden()
    expect(button(deck, "Knew it")).to_be_focused()
    expect(button(deck, "Didn't know it")).to_be_visible()


def test_knew_it_moves_on_and_that_card_does_not_come_back_in_the_sitting(page, lesson):
    fronts = fronts_of(lesson)
    total = len(fronts)
    deck = open_deck(page, lesson)

    assert answer(deck, knew=True) == fronts[0]
    assert shown_front(deck) == fronts[1]
    expect(deck.get_by_text(f"Card 2 of {total} · 1 known")).to_be_visible()
    expect(deck.get_by_role("progressbar", name="Cards known")).to_have_attribute("value", "1")
    expect(button(deck, "Show answer")).to_be_focused()  # ready for the next card

    rest = go_through(deck, total)
    assert [fronts[0], *rest] == fronts, "every card once, in page order"
    expect(result(deck)).to_contain_text(f"You knew all {total} on the first try.")


def test_didnt_know_it_brings_the_card_back_after_the_next_three_cards(page, lesson):
    fronts = fronts_of(lesson)
    total = len(fronts)
    deck = open_deck(page, lesson)

    assert answer(deck, knew=False) == fronts[0]
    assert shown_front(deck) == fronts[1]
    expect(deck.get_by_text(f"Card 2 of {total} · 0 known · 1 to review again")).to_be_visible()

    between = []
    while shown_front(deck) != fronts[0]:
        assert len(between) < total, "the missed card never came back"
        between.append(answer(deck, knew=True))
    # Three other cards, then the missed one: sooner than the end of a pass through the deck.
    assert between == fronts[1:4], f"back after {len(between)} cards: {between}"
    assert fronts[-1] not in between, "back before the deck's last card"
    again = f"Card 1 of {total}, again · {len(between)} known · 1 to review again"
    expect(deck.get_by_text(again, exact=True)).to_be_visible()

    # Missed again, it keeps coming back, and then leaves the sitting once known.
    answer(deck, knew=False)
    rest = go_through(deck, total)
    assert rest.count(fronts[0]) == 1 and rest.index(fronts[0]) < len(rest) - 1
    assert sorted(set(between + rest)) == sorted(fronts)


def test_the_whole_deck_ends_with_a_summary_of_the_missed_cards_and_starts_again(page, lesson):
    fronts = fronts_of(lesson)
    total = len(fronts)
    deck = open_deck(page, lesson)
    missed_fronts = [fronts[1], fronts[-2]]

    # Each of these is missed the first time it is dealt only.
    seen = go_through(
        deck, total, missed=lambda front, seen: front in missed_fronts and front not in seen
    )

    assert sorted(set(seen)) == sorted(fronts) and len(seen) == total + len(missed_fronts)
    expect(end_of_deck(deck)).to_be_focused()
    expect(result(deck)).to_contain_text(
        f"You knew {total - 2} of {total} on the first try; 2 needed another look."
    )
    expect(result(deck).get_by_role("listitem")).to_have_text(missed_fronts)
    expect(deck.get_by_role("progressbar", name="Cards known")).to_have_attribute(
        "value", str(total)
    )
    expect(deck.locator(".flashcard:visible")).to_have_count(0)

    button(deck, "Start again").click()
    expect(end_of_deck(deck)).to_be_hidden()
    expect(button(deck, "Show answer")).to_be_focused()
    expect(deck.get_by_text(f"Card 1 of {total} · 0 known")).to_have_text(
        f"Card 1 of {total} · 0 known"
    )
    assert go_through(deck, total) == fronts, "a new sitting deals every card again"


def test_a_live_region_announces_the_answer_and_the_next_card(page, lesson):
    cards = deck_of(lesson)
    total = len(cards)
    deck = open_deck(page, lesson)
    live = deck.get_by_role("status")
    expect(live).to_have_text("")  # the page load itself announces nothing

    button(deck, "Show answer").click()
    expect(live).to_have_text(f"Answer: {cards[0][1]}")
    button(deck, "Knew it").click()
    expect(live).to_have_text(f"Card 2 of {total}: {cards[1][0]}")

    button(deck, "Show answer").click()
    button(deck, "Didn't know it").click()
    expect(live).to_have_text(f"Card 3 of {total}: {cards[2][0]}")


def test_with_javascript_off_every_card_is_listed_with_its_answer_in_closed_details(
    new_context, lesson
):
    deck = deck_of(lesson)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(lesson.url)

    cards = page.locator("[data-module=flashcards] .flashcard")
    expect(cards).to_have_count(len(deck))
    expect(page.get_by_role("button", name="Show answer", exact=True)).to_have_count(0)
    for card, (front, back) in zip(cards.all(), deck, strict=True):
        expect(card).to_be_visible()
        expect(card.locator(".flashcard__front")).to_have_text(front)
        details = card.locator("details")
        expect(details).not_to_have_attribute("open", "")
        expect(details.locator("summary")).to_have_text("Show the answer")
        expect(details).to_contain_text(back)
        # The answer is the details' own text after its summary: closed, none of it is drawn,
        # so opening the details makes them taller.
        closed, opened = details.evaluate(
            """d => { const closed = d.getBoundingClientRect().height; d.open = true;
                      const opened = d.getBoundingClientRect().height; d.open = false;
                      return [closed, opened]; }"""
        )
        assert opened > closed + 10, front


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_the_card_moves_only_for_readers_who_accept_motion(new_context, lesson, motion):
    page = new_context(reduced_motion=motion).new_page()
    deck = open_deck(page, lesson)
    button(deck, "Show answer").click()

    card = shown_card(deck)
    styles = {
        name: part.evaluate(
            """el => {
              const s = getComputedStyle(el);
              return { name: s.animationName, durations: [s.animationDuration,
                s.transitionDuration].join(",").split(",").map(parseFloat) };
            }"""
        )
        for name, part in (("card", card), ("answer", card.locator("details")))
    }
    if motion == "reduce":
        for style in styles.values():
            assert style["name"] == "none", styles
            # site.css caps every duration at 0.01ms for reduced motion.
            assert all(d <= 0.00001 for d in style["durations"]), styles
    else:
        assert styles["answer"]["name"] != "none", "the answer should turn over"


@pytest.mark.parametrize("system", SCHEMES)
def test_axe_finds_no_violations_in_the_deck_flipped_and_finished(new_context, lesson, system):
    page = new_context(color_scheme=system).new_page()
    deck = open_deck(page, lesson)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[system])
    page.add_script_tag(path=str(AXE))

    button(deck, "Show answer").click()
    button(deck, "Knew it").hover()  # the hover colours must pass too
    flipped = run_axe_on(page, "[data-module=flashcards]")
    button(deck, "Didn't know it").click()
    go_through(deck, len(deck_of(lesson)))
    finished = run_axe_on(page, "[data-module=flashcards]")

    for state, result in (("flipped", flipped), ("finished", finished)):
        assert "color-contrast" in result["passed"], f"axe should have checked the {state} deck"
        assert not result["violations"], (
            f"axe-core ({system}, {state}):\n{describe(result['violations'])}"
        )


def test_print_shows_every_card_with_its_answer_and_no_controls(page, lesson):
    cards_of_the_lesson = deck_of(lesson)
    deck = open_deck(page, lesson)
    answer(deck, knew=False)
    expect(deck.get_by_role("button")).to_have_count(1)

    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # Material opens <details>

    cards = deck.locator(".flashcard")
    expect(cards).to_have_count(len(cards_of_the_lesson))
    for card, (front, back) in zip(cards.all(), cards_of_the_lesson, strict=True):
        expect(card.get_by_text(front)).to_be_visible()
        expect(card.get_by_text(back)).to_be_visible()
    expect(deck.get_by_role("button")).to_have_count(0)  # in the page, not on paper
    expect(deck.get_by_role("progressbar")).to_have_count(0)


def test_the_deck_carries_on_when_a_learning_mode_hides_it_and_shows_it_again(page, lesson):
    fronts = fronts_of(lesson)
    deck = open_deck(page, lesson)
    assert answer(deck, knew=False) == fronts[0]
    picker = page.locator(".mode-picker--enhanced")

    picker.locator("a[data-mode=practice]").click()
    expect(deck).to_be_hidden()
    picker.locator("a[data-mode=flashcards]").click()

    expect(deck).to_be_visible()
    assert shown_front(deck) == fronts[1]
    expect(button(deck, "Show answer")).to_be_visible()
    assert answer(deck, knew=True) == fronts[1]
    expect(
        deck.get_by_text(f"Card 3 of {len(fronts)} · 1 known · 1 to review again")
    ).to_be_visible()


def test_instant_navigation_away_and_back_deals_a_fresh_deck_without_errors(
    page, page_errors, lesson
):
    fronts = fronts_of(lesson)
    page.goto(HOME)
    page.evaluate("window.__sameDocument = true")

    for _ in range(2):
        page.locator("article").get_by_role("link", name=lesson.data.title).first.click()
        deck = page.locator(".flashcards--enhanced")
        expect(deck).to_have_count(1)
        assert shown_front(deck) == fronts[0]
        expect(deck.get_by_text(f"Card 1 of {len(fronts)} · 0 known")).to_be_visible()
        expect(button(deck, "Show answer")).to_have_count(1)  # one set of controls
        expect(deck.get_by_role("progressbar")).to_have_count(1)
        expect(page.locator('link[rel=stylesheet][href$="flashcards.css"]')).to_have_count(1)
        assert answer(deck, knew=False) == fronts[0]
        assert shown_front(deck) == fronts[1]
        page.get_by_role("link", name="Home").first.click()
        expect(page.locator(".flashcards")).to_have_count(0)

    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    assert page_errors == []
