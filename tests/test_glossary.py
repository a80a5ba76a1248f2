"""Glossary links: the first mention of a term in each section links to its definition."""

import re

import pytest

from macros.glossary import Glossary, Term, term
from macros.models import GlossaryEntry

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
