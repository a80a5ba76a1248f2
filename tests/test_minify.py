"""The built site's own scripts and stylesheets are minified by esbuild, and still work."""

import subprocess

import pytest

from macros.minify import MinifyError, minify, own_assets
from tests.conftest import ROOT

SCRIPT = """// Why this comment is here: to be dropped.
export function total(values) {
  const sum = values.reduce((a, b) => a + b, 0);
  return `total ${sum}`;
}
console.log(total([1, 2, 3]));
"""


def test_a_minified_script_is_smaller_and_prints_the_same(tmp_path):
    script = tmp_path / "sum.mjs"
    script.write_text(SCRIPT, encoding="utf-8")
    before = subprocess.run(["node", script], capture_output=True, text=True, check=True).stdout
    original = script.with_suffix(".js")
    script.rename(original)
    minify([original], ROOT)
    text = original.read_text(encoding="utf-8")
    assert "Why this comment" not in text and len(text) < len(SCRIPT)
    original.rename(script)
    after = subprocess.run(["node", script], capture_output=True, text=True, check=True).stdout
    assert after == before == "total 6\n"


def test_a_stylesheet_keeps_its_rules(tmp_path):
    sheet = tmp_path / "a.css"
    sheet.write_text("/* why */\n.a  >  .b {\n  color : red ;\n}\n", encoding="utf-8")
    minify([sheet], ROOT)
    assert sheet.read_text(encoding="utf-8").strip() == ".a>.b{color:red}"


def test_without_esbuild_the_error_says_how_to_install_it(tmp_path):
    sheet = tmp_path / "a.css"
    sheet.write_text(".a { color: red }", encoding="utf-8")
    with pytest.raises(
        MinifyError, match=r"^node_modules/.bin/esbuild is missing: run `make setup`"
    ):
        minify([sheet], tmp_path)


def test_only_the_sites_own_assets_are_minified(built_site):
    own = own_assets(ROOT / "docs", built_site.site)
    assert {p.name for p in own} >= {"site.js", "quiz.js", "site.css", "quiz.css"}
    assert not [p for p in own if "bundle" in p.name or ".min." in p.name]  # Material's own
    for built in own:
        source = ROOT / "docs" / built.relative_to(built_site.site)
        assert built.stat().st_size < source.stat().st_size, built.name
