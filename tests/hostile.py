"""The real lesson with hostile text in every text field that the schema lets it into.

Each field gets a payload that tries what that field could be abused for: markup and script,
script and data URLs, off-origin images, Markdown attribute lists, Jinja, and in diagram labels
Mermaid's quote breakouts and entity codes. Every payload calls `pwn(field path)`, so a browser
test that defines `pwn` sees exactly which field got through.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
OFF_ORIGIN = "https://other.example"


def general_payload(tag: str) -> str:
    return (
        f"<img src=x onerror=pwn('{tag}')>[l](javascript:pwn('{tag}'))"
        f"{{: onclick=pwn('{tag}') }}![i]({OFF_ORIGIN}/i.png){{{{ 7*191 }}}}"
    )


def title_payload(tag: str) -> str:
    return "<img src=x onerror=pwn('title')>{: onclick=pwn('title') }"


def label_payload(tag: str) -> str:
    # The schema forbids < > ` %% and line breaks in labels; quotes, entity codes and Mermaid
    # statements are what is left to try.
    return f'"];click build call pwn();x["#lt;img src={OFF_ORIGIN}/m.png#gt;&#quot;'


def payload_for(path: tuple) -> tuple[Callable[[str], str], int]:
    """The payload for a field, and the length the field's text is cut to so it fits."""
    keys = [part for part in path if isinstance(part, str)]
    if keys == ["title"]:
        return title_payload, 120
    if keys[:1] == ["flow"] and keys[-1] == "label":
        return label_payload, 200
    return general_payload, 200


def poison(value: Any, path: tuple = ()) -> Any:
    """`value` (the lesson's YAML data) with a payload appended to every text that is not an id.

    The same text always becomes the same hostile text (an answer must stay equal to its
    option); short texts are cut so they stay within the schema's length limits."""
    if isinstance(value, dict):
        return {key: poison(item, (*path, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [poison(item, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, str) and not SLUG.match(value):
        payload, limit = payload_for(path)
        text = payload(hashlib.sha256(value.encode()).hexdigest()[:6])
        if len(value) <= limit and len(value) + len(text) > limit:
            value = value[: limit - len(text)]
        return value + text
    return value


def poison_lesson(lesson_file: Path) -> None:
    data = yaml.safe_load(lesson_file.read_text(encoding="utf-8"))
    lesson_file.write_text(
        yaml.safe_dump(poison(data), sort_keys=False, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
