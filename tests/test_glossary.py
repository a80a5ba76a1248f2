"""Glossary links: the first mention of a term in each section links to its definition."""

import re
import re._parser

import pytest

from macros.glossary import Glossary, Term, term
from macros.models import LABEL_MAX, GlossaryEntry, Lesson
from tests.conftest import at_most_seconds

IMAGE = Term("lesson", "image", ("image", "images", "container image"), "A package.")
CONTAINER = Term("lesson", "container", ("container", "containers"), "A run.")
TERMS = [IMAGE, CONTAINER]


def link_terms(markup: str, terms: list[Term]) -> str:
    return Glossary(terms).link(markup, lambda found: f"#glossary-{found.entry_id}")


def links(markup: str) -> list[tuple[str, str]]:
    """(term id, linked text) of every glossary link, in order."""
    return re.findall(r'data-glossary-term="([^"]+)">([^<]+)</a>', markup)


def test_first_mention_in_a_paragraph_links_to_the_definition_with_it_as_title():
    out = link_terms("<p>Build the image, then run the image.</p>", TERMS)
    assert out == (
        '<p>Build the <a class="glossary-term" href="#glossary-image" title="A package." '
        'data-glossary-term="image">image</a>, then run the image.</p>'
    )


def test_each_section_links_its_own_first_mention():
    out = link_terms('<p>An image.</p><h2 id="b">B</h2><p>Another image.</p><p>image</p>', TERMS)
    assert links(out) == [("image", "image"), ("image", "image")]


def test_matching_ignores_case_keeps_the_text_and_prefers_the_longest_spelling():
    out = link_terms("<p>Containers start from a Container Image.</p>", TERMS)
    assert links(out) == [("container", "Containers"), ("image", "Container Image")]


def test_only_whole_words_match():
    assert links(link_terms("<p>imagery, container-based, reimage</p>", TERMS)) == []


@pytest.mark.parametrize(
    "markup",
    [
        "<h3>The image</h3>",
        "<p><code>image</code></p>",
        "<pre><code>docker image ls</code></pre>",
        '<p><a href="/x">the image</a></p>',
        '<div class="quiz"><p>Which image?</p></div>',
        '<div class="glossary"><dl><dd>An image is</dd></dl></div>',
        "<div>image outside prose</div>",
        "<p><label>image <input></label></p>",
    ],
)
def test_code_headings_links_quizzes_and_definitions_are_left_alone(markup):
    assert link_terms(markup, TERMS) == markup


def test_everything_else_passes_through_unchanged():
    markup = (
        "<!DOCTYPE html><!-- note --><p title='a &amp; b'>Tom &amp; Jerry&#39;s "
        "<br>cats<img src=x alt=''/></p><script>if (a < b) image();</script>"
    )
    assert link_terms(markup, TERMS) == markup


def test_a_mention_inside_nested_inline_markup_links():
    out = link_terms("<ul><li>Run <em>the container</em> now</li></ul>", TERMS)
    assert links(out) == [("container", "container")]


def test_tooltip_is_the_definition_as_plain_text():
    entry = GlossaryEntry(
        id="tag", term="tag", definition="The label, as in\n`ml-model:1.0`.", forms=[]
    )
    assert term("lesson", entry).definition == "The label, as in ml-model:1.0."


def test_a_spelling_two_terms_share_means_the_first_one_given():
    other = Term("other-lesson", "picture", ("image",), "Another.")
    assert links(link_terms("<p>image</p>", [other, IMAGE])) == [("picture", "image")]


def test_each_link_goes_where_the_page_says_the_term_is_defined():
    out = Glossary(TERMS).link("<p>image</p>", lambda found: f"../{found.lesson_id}/#x")
    assert 'href="../lesson/#x"' in out


def test_no_terms_leave_the_page_as_it_was():
    assert link_terms("<p>image</p>", []) == "<p>image</p>"


def test_a_mention_that_matches_only_in_another_case_form_links_its_term():
    # `ſ` (long s) matches `s` in any case, but its lower case is not `s`.
    out = link_terms("<p>Run the ſtack.</p>", [Term("lesson", "stack", ("stack",), "A pile.")])
    assert links(out) == [("stack", "ſtack")]


# A glossary made to be slow, within the schema's limits: 100 entries of a term and 10 forms,
# each spelling a long run of the same word and a word of its own at the end. Tried one
# spelling after another, each runs on through a paragraph of that word before it fails.
MAX_ENTRIES = Lesson.model_fields["glossary"].metadata[-1].max_length
MAX_FORMS = GlossaryEntry.model_fields["forms"].metadata[-1].max_length


def slow_spelling(number: int) -> str:
    return ("a " * (60 + number % 37) + f"z{number}")[:LABEL_MAX]


HOSTILE = [
    term(
        "lesson",
        GlossaryEntry(
            id=f"term-{entry}",
            term=slow_spelling(entry * 11),
            forms=[slow_spelling(entry * 11 + form) for form in range(1, MAX_FORMS + 1)],
            definition="A word.",
        ),
    )
    for entry in range(MAX_ENTRIES)
]


def alternation_of_every_spelling(glossary: Glossary) -> re.Pattern:
    """The pattern as it was: every spelling, longest first, tried in turn at every word."""
    spellings = sorted(glossary.by_spelling, key=len, reverse=True)
    written = (r"\s+".join(re.escape(word) for word in key.split()) for key in spellings)
    return re.compile(r"(?<![\w-])(" + "|".join(written) + r")(?![\w-])", re.IGNORECASE)


def test_the_slow_glossary_finds_what_the_alternation_of_every_spelling_found():
    glossary = Glossary(HOSTILE)
    paragraph = "a " * 10 + slow_spelling(5) + "\t  A\n" + slow_spelling(700).upper() + " a a."
    found = [(m.span(), m.group(1)) for m in glossary.pattern.finditer(paragraph)]
    before = alternation_of_every_spelling(glossary).finditer(paragraph)
    assert found == [(m.span(), m.group(1)) for m in before]
    assert [glossary.term_of(text).entry_id for _, text in found] == ["term-0", "term-63"]


def shape(pattern: re.Pattern) -> tuple[list[list[str]], set[str]]:
    """For each alternation in `pattern`, the first item of each branch ('' for an empty one);
    and the kinds of repeat it uses."""
    alternations, repeats = [], set()

    def walk(items) -> None:
        for op, value in items:
            if str(op) == "BRANCH":
                alternations.append([repr(branch[0]) if len(branch) else "" for branch in value[1]])
                for branch in value[1]:
                    walk(branch)
            elif str(op) in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
                walk(value[-1])
            elif str(op).endswith("_REPEAT"):
                repeats.add(str(op))
                walk(value[2])

    walk(re._parser.parse(pattern.pattern, pattern.flags))
    return alternations, repeats


def test_at_each_character_the_slow_glossary_offers_one_way_on():
    # So matching at a place in a text follows one path, no longer than the longest spelling,
    # instead of trying each of the 1,100 spellings in turn: the work grows with the text only.
    # (The spellings are lower-case ASCII, so distinct first characters match distinct text.)
    alternations, repeats = shape(Glossary(HOSTILE).pattern)
    assert alternations
    for starts in alternations:
        assert len(set(starts)) == len(starts), starts
    # The runs of white space between words are never given back to be split again.
    assert repeats == {"POSSESSIVE_REPEAT"}


def test_a_long_paragraph_against_the_slow_glossary_is_linked_at_once():
    paragraph = "<p>" + "a " * 10_000 + slow_spelling(42) + "</p>"  # took over 30 s
    with at_most_seconds(5):
        out = link_terms(paragraph, HOSTILE)
    assert links(out) == [("term-3", slow_spelling(42))]
