"""The site builds with --strict, and a broken lesson stops the build with a clear message."""

import html
import json
import re

import pytest

from macros.loader import load_lesson
from macros.models import QUIZ_SECTIONS
from tests.browser.helpers import plain
from tests.conftest import ROOT, copy_project, run_mkdocs_build

LESSON = "docs/lessons/containers-portability/lesson.yml"
PAGE = "docs/lessons/containers-portability/index.md"


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_strict_build_passes_without_warnings(built_site):
    assert "WARNING" not in built_site.output
    assert (built_site.site / "lessons" / "containers-portability" / "index.html").is_file()


def test_broken_lesson_fails_the_build_naming_file_line_and_field(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / LESSON
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("minutes:"))
    lines.insert(number + 1, "duration: ten\n")
    path.write_text("".join(lines), encoding="utf-8")

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert (
        f"{LESSON}:{number + 2}: duration: expected a known field, got unknown key 'duration'"
        in build.output
    )
    assert "Traceback" not in build.output
    assert not (tmp_path / "site" / "lessons").exists(), "nothing is half-rendered"


def test_every_problem_of_a_broken_lesson_is_listed_in_one_run(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / LESSON
    text = path.read_text(encoding="utf-8")
    text = text.replace("difficulty: easy", "difficulty: trivial", 1)
    text = re.sub(r"(?m)^(\s+)- step: 3$", r"\1- step: 4", text, count=1)
    path.write_text(text, encoding="utf-8")

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert "Invalid lesson data (2 problems):" in build.output
    assert re.search(
        rf"{LESSON}:\d+: difficulty: expected 'easy', 'medium' or 'hard', got 'trivial'",
        build.output,
    )
    assert re.search(
        rf"{LESSON}:\d+: process_table\.rows\[2\]\.step: expected step 3", build.output
    )
    assert "Traceback" not in build.output


def test_a_lesson_without_its_page_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / PAGE).unlink()

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert (
        "docs/lessons/containers-portability/index.md: expected the lesson's page beside its "
        "lesson.yml, got no file" in build.output
    )


def test_lesson_data_is_not_published_as_a_file(built_site):
    assert not (built_site.site / "lessons" / "containers-portability" / "lesson.yml").exists()


def test_the_flow_is_drawn_into_the_page_and_no_mermaid_script_is_published(built_site):
    page = built_site.page("lessons/containers-portability")
    assert page.count('<svg id="flow-') == 2  # left to right, top to bottom
    assert page.count("data-flow-node=") == 10
    published = [p.name for p in built_site.site.rglob("*") if "mermaid" in p.name.lower()]
    assert published == []
    assert "mermaid" not in (built_site.site / "assets/javascripts/site.js").read_text().lower()


def test_a_build_with_no_browser_and_no_cached_drawing_says_how_to_install_one(tmp_path):
    project = copy_project(tmp_path / "project")
    env = {"CHROMIUM_PATH": str(tmp_path / "no-chromium"), "FLOW_DIAGRAM_CACHE": str(tmp_path)}

    build = run_mkdocs_build(project, tmp_path / "site", env)

    assert build.returncode == 1
    assert "Traceback" not in build.output
    (line,) = [line for line in build.output.splitlines() if "Chromium" in line]
    assert line == (
        "ERROR   -  flow diagrams are drawn at build time in Chromium, and there is none at "
        f"{tmp_path / 'no-chromium'}: run `make browser` (installs Debian's chromium) or set "
        "CHROMIUM_PATH to a Chromium or Chrome executable"
    )


def test_a_rebuild_that_changes_no_diagram_needs_no_browser(tmp_path):
    project = copy_project(tmp_path / "project")
    cache = {"FLOW_DIAGRAM_CACHE": str(tmp_path / "cache")}
    first = run_mkdocs_build(project, tmp_path / "site", cache)
    assert first.returncode == 0, first.output
    lessons = list((project / "docs" / "lessons").glob("*/lesson.yml"))
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2 * len(lessons)  # LR and TB each

    again = run_mkdocs_build(
        project, tmp_path / "again", {**cache, "CHROMIUM_PATH": str(tmp_path / "no-chromium")}
    )

    assert again.returncode == 0, again.output
    assert again.page("lessons/containers-portability") == first.page(
        "lessons/containers-portability"
    )


def test_search_finds_questions_but_not_their_answers(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", doc["text"])) for doc in index["docs"])
    text = " ".join(text.split())
    lesson = load_lesson(ROOT / LESSON)
    questions = [q for section in QUIZ_SECTIONS for q in getattr(lesson, section)]
    solved = [q for q in questions if q.solution]
    assert questions and solved
    assert all(plain(q.prompt) in text for q in questions)
    assert not [q.id for q in questions if plain(q.explanation) in text]
    assert not [q.id for q in solved if plain(q.solution.quick_check) in text]


def test_no_page_repeats_an_element_id(built_site):
    for page in built_site.site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert repeated == [], f"{page.relative_to(built_site.site)} repeats ids {repeated}"


def test_a_lesson_page_missing_a_mode_section_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    replace_in(project / PAGE, "## Cheat sheet", "## One-page summary")

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert (
        "docs/lessons/containers-portability/index.md: the 'Cheat sheet' learning mode shows "
        "the section #cheat-sheet, expected a `##` heading with that id, got none" in build.output
    )
    assert "Traceback" not in build.output


def test_glossary_terms_link_to_their_definition_from_every_page(built_site):
    home = built_site.page("")
    lesson_page = built_site.page("lessons/containers-portability")
    assert 'href="lessons/containers-portability/#glossary-image"' in home
    assert re.search(
        r'<a class="glossary-term" href="#glossary-container" title="A runnable', lesson_page
    )
    for definition in re.findall(r'href="#(glossary-[a-z-]+)"', lesson_page):
        assert f'id="{definition}"' in lesson_page


def assert_built_with_its_snippets(build) -> None:
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    page = build.site / "lessons" / "containers-portability" / "index.html"
    assert page.is_file()
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    dockerfile = (ROOT / "examples" / "ml-model" / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in dockerfile.splitlines() if line.strip() and "--8<--" not in line]
    assert [line for line in lines if line not in text] == [], "the Dockerfile is included"


def test_a_relative_config_path_builds(tmp_path):
    project = copy_project(tmp_path / "project")

    build = run_mkdocs_build(project, tmp_path / "site", config="mkdocs.yml")

    assert_built_with_its_snippets(build)


@pytest.mark.parametrize(
    ("started_in", "config"),
    [
        ("", "project/mkdocs.yml"),
        ("elsewhere", "../project/mkdocs.yml"),
        ("elsewhere", "{project}/mkdocs.yml"),
    ],
    ids=["from-the-parent", "from-a-sibling", "with-an-absolute-path"],
)
def test_a_build_started_from_another_directory_builds(tmp_path, started_in, config):
    project = copy_project(tmp_path / "project")
    cwd = tmp_path / started_in
    cwd.mkdir(exist_ok=True)

    build = run_mkdocs_build(
        project, tmp_path / "site", config=config.format(project=project), cwd=cwd
    )

    assert_built_with_its_snippets(build)


def test_each_page_links_the_stylesheets_of_its_widgets_in_its_head(built_site):
    expected = {
        "": {"quiz.css", "catalog.css"},  # the catalog, and its progress lines
        "lessons/containers-portability": {
            "quiz.css",
            "learning-modes.css",
            "step-through.css",
            "flashcards.css",
        },
        "lessons/containers-portability/test": {"quiz.css"},
        "contributing": set(),
    }
    for url, names in expected.items():
        head = built_site.page(url).split("</head>", 1)[0]
        linked = re.findall(
            r'<link rel="stylesheet" href="[./]*assets/stylesheets/([\w-]+\.css)"', head
        )
        assert sorted(name for name in linked if name != "site.css") == sorted(names), url


def test_every_page_links_the_sites_own_svg_icon(built_site):
    icon = built_site.site / "assets" / "images" / "favicon.svg"
    assert icon.read_text(encoding="utf-8").startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        hrefs = re.findall(r'<link rel="icon" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(hrefs) == 1, page
        if page.name == "404.html":  # served at any depth, so its links start at the root
            assert hrefs[0] == "/assets/images/favicon.svg"
        else:
            assert (page.parent / hrefs[0]).resolve() == icon.resolve(), page


def test_a_new_lesson_is_in_the_nav_and_the_catalog_without_editing_mkdocs_yml(tmp_path):
    from tests.test_glossary_reach import OTHER, with_a_second_lesson

    build = run_mkdocs_build(with_a_second_lesson(tmp_path), tmp_path / "site")
    assert build.returncode == 0, build.output
    home = build.page("")
    nav = home[home.index('class="md-nav md-nav--primary"') :]
    assert f'href="lessons/{OTHER}/" class="md-nav__link"' in nav
    assert "A copy of why containers make ML deployment portable" in plain(
        home[home.index('class="lesson-catalog') :]
    )


def test_search_leaves_out_the_flashcards_and_cheat_sheet_which_repeat_the_lesson(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", doc["text"])) for doc in index["docs"])
    text = " ".join(text.split())
    lesson = load_lesson(ROOT / LESSON)
    assert "Show the answer" not in text and "· cheat sheet" not in text
    # What they repeat is still found where the lesson says it.
    assert plain(lesson.key_moments[0].question) in text
    assert plain(lesson.glossary[0].definition) in text


def test_search_leaves_out_the_generated_field_reference_but_the_guide_shows_it(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text("utf-8"))
    guide = [doc for doc in index["docs"] if doc["location"].startswith("contributing/")]
    text = " ".join(doc["text"] for doc in guide)
    assert guide and "From an idea to a published page" in " ".join(d["title"] for d in guide)
    assert "quick_check" not in text  # a field only the reference's tables name
    page = built_site.page("contributing")
    assert 'id="schema-lesson"' in page and "<code>quick_check</code>" in page
