"""The pre-commit hooks run the project's own tools: local, `language: system`, nothing to fetch."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT

CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = [hook for repo in CONFIG["repos"] for hook in repo["hooks"]]


def test_every_hook_is_local_and_runs_a_system_command():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert {hook["language"] for hook in HOOKS} == {"system"}


def test_the_hooks_check_the_lessons_and_run_ruff_from_the_venv():
    entries = [hook["entry"] for hook in HOOKS]
    assert "make check-lessons" in entries
    assert any(entry.startswith(".venv/bin/ruff check") for entry in entries)
    assert any(entry.startswith(".venv/bin/ruff format --check") for entry in entries)


def test_the_make_target_the_hook_runs_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check-lessons: setup\b", makefile, re.MULTILINE)
    assert re.search(r"^schema: setup\b", makefile, re.MULTILINE)
