"""The lesson schema for editors and CI: a JSON Schema and a Markdown field reference, both
generated from the models (`make schema` writes them; a test fails when either is stale).

The JSON Schema describes the YAML as authors write it: field aliases (`from`, `to`), a
question's `type` (left out, it is `single-choice`), no unknown keys. What it cannot say (text
rules such as "one line", answers among the options, references that exist) the build and
`make check-lessons` still check; an editor that reads it catches the rest as you type, through
the first line of every lesson file: `# yaml-language-server: $schema=<path to the schema>`.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from .field_reference import field_reference
from .loader import LESSON_FILE, LESSONS_DIR
from .models import Lesson

SCHEMA_FILE = "schema/lesson.schema.json"
FIELDS_FILE = "schema/FIELDS.md"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def lesson_json_schema() -> dict[str, Any]:
    schema = Lesson.model_json_schema(by_alias=True, mode="validation")
    _close_mappings(schema)
    return {"$schema": DRAFT, **schema}


def _close_mappings(node: Any) -> None:
    """A mapping keyed by ids (`values: {stage-id: text}`) takes only keys that are ids:
    pydantic lists the pattern under `patternProperties` but lets any other key through."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_mappings(value)
    elif isinstance(node, list):
        for value in node:
            _close_mappings(value)


def schema_comment(lesson_file: str = f"docs/{LESSONS_DIR}/<slug>/{LESSON_FILE}") -> str:
    """The first line of a lesson file: it points YAML editors at the schema."""
    depth = len(PurePosixPath(lesson_file).parent.parts)
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FILE}"


def fields_markdown() -> str:
    return (
        "# Lesson fields\n\n"
        "<!-- Generated from macros/models.py by `make schema`; do not edit. -->\n\n"
        f"Every field of `docs/{LESSONS_DIR}/<slug>/{LESSON_FILE}`, generated from the schema the "
        "build checks against. The same reference is on the site's *Write a lesson* page "
        "(docs/contributing.md), with the rules that span fields; "
        f"[`lesson.schema.json`](lesson.schema.json) is the JSON Schema an editor can check "
        "the file with as you type.\n\n"
        "## Fields, model by model\n\n" + field_reference(Lesson, markdown_headings=True)
    )


def generated_files() -> dict[str, str]:
    """Each generated file's path (from the project's root) and its text."""
    return {
        SCHEMA_FILE: json.dumps(lesson_json_schema(), indent=2, ensure_ascii=False) + "\n",
        FIELDS_FILE: fields_markdown(),
    }
