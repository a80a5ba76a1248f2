"""Hostile lesson pages and data through a real strict build: each fails with a `file:line`
message and no traceback, or builds a page where the hostile text is only text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from tests.conftest import ROOT, copy_project, run_mkdocs_build
from tests.test_build import replace_in

HOSTILE_TITLE = "Why <img src=x onerror=alert(1)> *em* [l](javascript:x) {: onclick=alert(2) } #"


class _Tags(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.found: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or re.match(r"\s*(javascript|data):", value, re.I):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("src", "href") and "other.example" in value:
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")


def live_markup(text: str) -> list[str]:
    """Event handlers, script URLs and off-origin sources anywhere in a page's HTML."""
    return _Tags(text).found


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def build(project):
    return run_mkdocs_build(project, project.parent / "site")


def failed_with(result, *lines: str) -> None:
    assert result.returncode == 1, result.output
    for line in lines:
        assert line in result.output, result.output
    assert "Traceback" not in result.output
    assert not (result.site / "lessons").exists(), "nothing is half-rendered"


def test_a_wrong_macro_argument_names_the_page_and_line(project, lesson_files):
    page = lesson_files.page
    replace_in(project / page, '{{ quiz("practice") }}', '{{ quiz("pratice") }}')
    line = (project / page).read_text().splitlines().index('{{ quiz("pratice") }}') + 1
    failed_with(
        build(project),
        f"{page}:{line}: expected quiz() with one of 'visual_quiz', 'practice' or 'test_bank', "
        "got 'pratice'",
    )


def test_a_lesson_page_without_its_data_names_the_missing_file(project):
    (project / "docs/lessons/another-lesson").mkdir()
    (project / "docs/lessons/another-lesson/index.md").write_text("# {{ lesson_title() }}\n")
    failed_with(
        build(project),
        "docs/lessons/another-lesson/index.md: expected the lesson's data beside its page, "
        "docs/lessons/another-lesson/lesson.yml, got no file",
    )


def test_a_lesson_without_its_test_page_names_the_missing_file(project, lesson_files):
    (project / lesson_files.test_page).unlink()
    failed_with(
        build(project),
        f"{lesson_files.test_page}: expected the lesson's test page beside its lesson.yml, "
        "got no file",
    )


def test_a_test_page_link_to_no_section_of_its_lesson_page_fails_the_build(project, lesson_files):
    test_page = project / lesson_files.test_page
    test_page.write_text(test_page.read_text() + "\n[back](../#no-such-section)\n")
    failed_with(
        build(project),
        f"{lesson_files.test_page}: a link points to the lesson page's #no-such-section, "
        "expected an element with that id there, got none",
    )


@pytest.mark.parametrize("path", ["../.git/config", "../mkdocs.yml", "{example}/no-such-file"])
def test_a_page_can_include_only_existing_files_of_the_examples_folder(project, lesson_files, path):
    page = lesson_files.page
    path = path.format(example=lesson_files.load().example)
    text = (project / page).read_text()
    (project / page).write_text(text + f'\n```text\n--8<-- "{path}"\n```\n')
    line = text.count("\n") + 3
    failed_with(
        build(project),
        f"{page}:{line}: expected a snippet path to a file inside examples/, got '{path}'",
    )


def test_evidence_pointing_at_no_section_is_a_dangling_link(project, lesson_files):
    replace_in(project / lesson_files.data, "evidence: hands-on", "evidence: no-such-section")
    failed_with(
        build(project),
        f"{lesson_files.page}: a link points to #no-such-section, expected an element with that id on the "
        "page, got none",
    )


def test_a_hostile_title_is_text_on_every_page(project, lesson_files):
    path = project / lesson_files.data
    text, titles = re.subn(r"(?m)^title: .*$", f"title: '{HOSTILE_TITLE}'", path.read_text())
    assert titles == 1
    path.write_text(text)
    result = build(project)
    assert result.returncode == 0, result.output
    escaped = HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")
    lesson_page, test_page = f"{lesson_files.url}/index.html", f"{lesson_files.url}/test/index.html"
    for page in ["index.html", lesson_page, test_page, "404.html"]:
        text = (result.site / page).read_text(encoding="utf-8")
        assert live_markup(text) == [], page
        assert escaped in text, f"{page} does not show the title as text"
    lesson_page = (result.site / lesson_page).read_text()
    assert f"<title>{escaped} - MLOps Visual Patterns</title>" in lesson_page
    assert re.search(rf"<h1 id=\"[^\"]*\">{re.escape(escaped)}<a class=\"headerlink\"", lesson_page)
    test_page = (result.site / test_page).read_text()
    assert f"<title>Test: {escaped} - MLOps Visual Patterns</title>" in test_page


def edit_lesson(project, lesson_files, change) -> None:
    """Apply `change` to the lesson's data (a dict) and write it back as YAML."""
    path = project / lesson_files.data
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


HOSTILE_MARKDOWN = (
    "![p](data:,x){: onerror=alert(1) } [x](javascript:alert(2)) ![](https://other.example/x.png)"
)


def test_execution_sample_text_cannot_add_markup(project, lesson_files):
    def change(data):
        sample = data["execution_sample"]
        sample["caption"] = HOSTILE_MARKDOWN
        sample["commands"][0]["explanation"] += "\n\n# A new heading\n\n" + HOSTILE_MARKDOWN

    edit_lesson(project, lesson_files, change)
    result = build(project)
    assert result.returncode == 0, result.output
    page = (result.site / lesson_files.url / "index.html").read_text()
    assert page.count("![p](data:,x){: onerror=alert(1) }") == 2
    assert "A new heading" in page and '<h1 id="a-new-heading"' not in page
    assert live_markup(page) == []


def test_a_flow_too_big_for_mermaid_fails_the_build_instead_of_drawing_an_error(lesson_files):
    from mkdocs.exceptions import PluginError

    import macros

    lesson = lesson_files.load()
    label = "&" * 190  # each & is four characters of Mermaid source: #38;
    steps = [step.model_copy(update={"label": label}) for step in lesson.flow.steps] * 14
    big = lesson.model_copy(update={"flow": lesson.flow.model_copy(update={"steps": steps})})
    docs = ROOT / "docs"
    with pytest.raises(PluginError) as raised:
        macros._require_drawable_flows({big.id: big}, docs, ROOT)
    assert str(raised.value).startswith(
        f"{lesson_files.data}: flow: expected a diagram of at most 50,000 characters of Mermaid source, got "
    )
    macros._require_drawable_flows({lesson.id: lesson}, docs, ROOT)  # the real one fits


def line_of_key(project, lesson_files, text: str) -> int:
    lines = (project / lesson_files.data).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "command",
            "docker run x\n```\n<script>alert(1)</script>",
            "execution_sample.commands[0].command: expected one line",
        ),
        (
            "command",
            '--8<-- ".git/config"',
            "execution_sample.commands[0].command: expected text without a snippet marker",
        ),
        (
            "label",
            "%%{init: {'themeCSS': 'x{background:url(https://other.example/x.png)}'}}%%",
            "flow.steps[0].label: expected plain text for a diagram label",
        ),
        ("label", "<img src=https://other.example/x.png>", "flow.steps[0].label: expected plain"),
    ],
)
def test_data_that_would_break_out_fails_the_build_at_its_line(
    project, lesson_files, field, value, message
):
    def change(data):
        if field == "command":
            data["execution_sample"]["commands"][0]["command"] = value
        else:
            data["flow"]["steps"][0]["label"] = value

    edit_lesson(project, lesson_files, change)
    key = "- command:" if field == "command" else "  label:"
    line = line_of_key(project, lesson_files, key)
    result = build(project)
    assert result.returncode == 1, result.output
    assert re.search(rf"{lesson_files.data}:{line}: {re.escape(message)}", result.output), (
        result.output
    )
    assert "Traceback" not in result.output
    assert "[core]" not in result.output


# A lesson page is content: anything in it that would compute, or carry markup of its own, stops
# the build at its line before anything renders (and so before anything runs).
REFUSED_ON_A_LESSON_PAGE = {
    "{{ cycler.__init__.__globals__.os.popen('touch ran').read() }}": "got attribute access",
    "{{ range(10**9) | list }}": "got a filter (| list)",
    "{% for x in [1] %}x{% endfor %}": "got a {% for %} tag",
    "{% set x = 1 %}": "got a {% set %} tag",
    "{% include 'mkdocs.yml' %}": "got a {% include %} tag",
    "{{ config }}": "got a bare name (config)",
    "{{ 6 * 7 }}": "got arithmetic or an operator",
    "{# hidden #}": "got a Jinja comment",
    "<script>alert(1)</script>": "got raw HTML starting '<script>",
    "A paragraph\n{ onclick=alert(1) }": "in an attribute list",
    "[x](javascript:alert(1))": "got 'javascript:alert(1'",
    "![x](https://other.example/x.png)": "got 'https://other.example/x.png'",
}


@pytest.mark.parametrize(
    "hostile", REFUSED_ON_A_LESSON_PAGE, ids=range(len(REFUSED_ON_A_LESSON_PAGE))
)
def test_code_or_markup_on_a_lesson_page_is_refused_at_its_line(project, hostile):
    page = "docs/lessons/health-checks/index.md"
    text = (project / page).read_text()
    (project / page).write_text(text + "\n" + hostile + "\n")
    line = text.count("\n") + 2 + hostile.count("\n")
    failed_with(build(project), f"{page}:{line}: ", REFUSED_ON_A_LESSON_PAGE[hostile])
    assert not (project / "ran").exists()


def test_front_matter_on_a_lesson_page_is_refused_at_its_first_line(project):
    page = "docs/lessons/health-checks/test.md"
    text = (project / page).read_text()
    (project / page).write_text('---\ndescription: "\\"><script>x</script>"\n---\n' + text)
    failed_with(build(project), f"{page}:1: expected no front matter on a lesson's page")


def test_a_jinja_error_on_a_site_page_is_one_line_at_its_line(project):
    page = project / "docs/contributing.md"
    text = page.read_text()
    page.write_text(text + "\n{{ config.no_such_setting.deeper }}\n")
    result = build(project)
    assert result.returncode == 1, result.output
    assert f"docs/contributing.md:{text.count(chr(10)) + 2}: UndefinedError: " in result.output
    assert "Traceback" not in result.output
