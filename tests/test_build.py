"""The site builds with --strict, and a broken lesson stops the build with a clear message."""

import html
import json
import re

import pytest

from macros.models import QUIZ_SECTIONS
from tests.browser.helpers import plain
from tests.conftest import LESSON_SLUGS, ROOT, copy_project, every_lesson, run_mkdocs_build

LESSONS = every_lesson()


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_strict_build_passes_without_warnings(built_site):
    assert "WARNING" not in built_site.output
    for slug in LESSON_SLUGS:
        assert (built_site.site / "lessons" / slug / "index.html").is_file()
        assert (built_site.site / "lessons" / slug / "test" / "index.html").is_file()


def test_broken_lesson_fails_the_build_naming_file_line_and_field(tmp_path, lesson_files):
    project = copy_project(tmp_path / "project")
    path = project / lesson_files.data
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("minutes:"))
    lines.insert(number + 1, "duration: ten\n")
    path.write_text("".join(lines), encoding="utf-8")

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert (
        f"{lesson_files.data}:{number + 2}: duration: expected a known field, got unknown key 'duration'"
        in build.output
    )
    assert "Traceback" not in build.output
    assert not (tmp_path / "site" / "lessons").exists(), "nothing is half-rendered"


def test_every_problem_of_a_broken_lesson_is_listed_in_one_run(tmp_path, lesson_files):
    project = copy_project(tmp_path / "project")
    path = project / lesson_files.data
    text = path.read_text(encoding="utf-8")
    text, difficulties = re.subn(r"(?m)^difficulty: \w+$", "difficulty: trivial", text)
    text, steps = re.subn(r"(?m)^(\s+)- step: 3$", r"\1- step: 4", text, count=1)
    assert (difficulties, steps) == (1, 1), "the lesson file no longer has these lines"
    path.write_text(text, encoding="utf-8")

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert "Invalid lesson data (2 problems):" in build.output
    assert re.search(
        rf"{lesson_files.data}:\d+: difficulty: expected 'easy', 'medium' or 'hard', got 'trivial'",
        build.output,
    )
    assert re.search(
        rf"{lesson_files.data}:\d+: process_table\.rows\[2\]\.step: expected step 3", build.output
    )
    assert "Traceback" not in build.output


def test_a_lesson_without_its_page_fails_the_build(tmp_path, lesson_files):
    project = copy_project(tmp_path / "project")
    (project / lesson_files.page).unlink()

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert (
        f"{lesson_files.page}: expected the lesson's page beside its lesson.yml, got no file"
        in build.output
    )


def test_lesson_data_is_not_published_as_a_file(built_site):
    assert list(built_site.site.rglob("*.yml")) == []
    for slug in LESSON_SLUGS:
        assert (built_site.site / "lessons" / slug).is_dir()


def test_the_flow_is_drawn_into_the_page_and_no_mermaid_script_is_published(
    built_site, lesson_files
):
    page = built_site.page(lesson_files.url)
    assert page.count('<svg id="flow-') == 2  # left to right, top to bottom
    assert page.count("data-flow-node=") == 2 * len(LESSONS[lesson_files.slug].flow.steps)
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
    for slug in LESSON_SLUGS:
        assert again.page(f"lessons/{slug}") == first.page(f"lessons/{slug}"), slug


def test_search_finds_questions_but_not_their_answers(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", doc["text"])) for doc in index["docs"])
    text = " ".join(text.split())
    for slug, lesson in LESSONS.items():
        questions = [q for section in QUIZ_SECTIONS for q in getattr(lesson, section)]
        solved = [q for q in questions if q.solution]
        assert questions and solved, slug
        assert [q.id for q in questions if plain(q.prompt) not in text] == [], slug
        assert [q.id for q in questions if plain(q.explanation) in text] == [], slug
        assert [q.id for q in solved if plain(q.solution.quick_check) in text] == [], slug


def test_no_page_repeats_an_element_id(built_site):
    for page in built_site.site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert repeated == [], f"{page.relative_to(built_site.site)} repeats ids {repeated}"


def test_a_lesson_page_missing_a_mode_section_fails_the_build(tmp_path, lesson_files):
    project = copy_project(tmp_path / "project")
    replace_in(project / lesson_files.page, "## Cheat sheet", "## One-page summary")

    build = run_mkdocs_build(project, tmp_path / "site")

    assert build.returncode == 1
    assert (
        f"{lesson_files.page}: the 'Cheat sheet' learning mode shows the section #cheat-sheet, "
        "expected a `##` heading with that id, got none" in build.output
    )
    assert "Traceback" not in build.output
    assert not (tmp_path / "site" / "lessons").exists(), "no lesson's pages are half published"


def test_glossary_terms_link_to_their_definition_from_every_page(built_site, lesson_files):
    from macros.glossary import term

    lesson = LESSONS[lesson_files.slug]
    home = built_site.page("")
    lesson_page = built_site.page(lesson_files.url)
    ids = {entry.id for entry in lesson.glossary}
    # The home page, a page of no lesson, links this lesson's terms into the lesson.
    from_home = re.findall(rf'href="{lesson_files.url}/#glossary-([a-z0-9-]+)"', home)
    assert from_home and set(from_home) <= ids
    # A term on the lesson page links to its entry, with the definition as its title.
    linked = re.findall(
        r'<a class="glossary-term" href="#glossary-([a-z0-9-]+)" title="([^"]*)"', lesson_page
    )
    assert linked
    for entry_id, title in linked:
        (entry,) = [e for e in lesson.glossary if e.id == entry_id]
        assert html.unescape(title) == term(lesson.id, entry).definition
    for definition in re.findall(r'href="#(glossary-[a-z0-9-]+)"', lesson_page):
        assert f'id="{definition}"' in lesson_page


def assert_built_with_its_snippets(build) -> None:
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    for slug, lesson in LESSONS.items():
        page = build.site / "lessons" / slug / "index.html"
        assert page.is_file(), slug
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        dockerfile = (ROOT / "examples" / lesson.example / "Dockerfile").read_text("utf-8")
        lines = [line for line in dockerfile.splitlines() if line.strip() and "--8<--" not in line]
        assert [line for line in lines if line not in text] == [], f"{slug} includes its Dockerfile"


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
        "contributing": set(),
    }
    for slug in LESSON_SLUGS:
        expected[f"lessons/{slug}"] = {
            "quiz.css",
            "learning-modes.css",
            "step-through.css",
            "flashcards.css",
        }
        expected[f"lessons/{slug}/test"] = {"quiz.css"}
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
    from tests.test_glossary_reach import OTHER, OTHER_TITLE, with_a_second_lesson

    build = run_mkdocs_build(with_a_second_lesson(tmp_path), tmp_path / "site")
    assert build.returncode == 0, build.output
    home = build.page("")
    nav = home[home.index('class="md-nav md-nav--primary"') :]
    assert f'href="lessons/{OTHER}/" class="md-nav__link"' in nav
    assert OTHER_TITLE in plain(home[home.index('class="lesson-catalog') :])


def test_search_leaves_out_the_flashcards_and_cheat_sheet_which_repeat_the_lesson(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", doc["text"])) for doc in index["docs"])
    text = " ".join(text.split())
    assert "Show the answer" not in text and "· cheat sheet" not in text
    # What they repeat is still found where each lesson says it.
    for lesson in LESSONS.values():
        assert plain(lesson.key_moments[0].question) in text, lesson.id
        assert plain(lesson.glossary[0].definition) in text, lesson.id


def test_search_leaves_out_the_generated_field_reference_but_the_guide_shows_it(built_site):
    index = json.loads((built_site.site / "search/search_index.json").read_text("utf-8"))
    guide = [doc for doc in index["docs"] if doc["location"].startswith("contributing/")]
    text = " ".join(doc["text"] for doc in guide)
    assert guide and "From an idea to a published page" in " ".join(d["title"] for d in guide)
    assert "quick_check" not in text  # a field only the reference's tables name
    page = built_site.page("contributing")
    assert 'id="schema-lesson"' in page and "<code>quick_check</code>" in page
