"""The contributor guide's field reference, generated from the lesson models (a pure renderer)."""

from __future__ import annotations

import html
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo


def models_in_order(root: type[BaseModel]) -> list[type[BaseModel]]:
    """The root model and every model reachable from it, in the order a reader meets them."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for field in model.model_fields.values():
            for nested in _nested_models(field.annotation):
                visit(nested)

    visit(root)
    return seen


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested_models(arg)]


def anchor(model: type[BaseModel]) -> str:
    return f"schema-{model.__name__.lower()}"


def heading_anchor(model: type[BaseModel]) -> str:
    """The anchor GitHub (and most Markdown viewers) give the heading `### `Model``."""
    return model.__name__.lower()


def type_name(
    annotation: Any, info: FieldInfo | None = None, anchor_of: Callable[..., str] = anchor
) -> str:
    # pydantic moves a field's own Annotated[...] metadata onto its FieldInfo.
    if annotation is str and info and any(getattr(m, "pattern", None) for m in info.metadata):
        return "id (kebab-case)"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base, *metadata = args
        if base is str and any(getattr(m, "pattern", None) for m in metadata):
            return "id (kebab-case)"
        return type_name(base, anchor_of=anchor_of)
    if origin in (typing.Union, types.UnionType):
        names = [type_name(arg, anchor_of=anchor_of) for arg in args if arg is not type(None)]
        return " or ".join(names)
    if origin is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in args)
    if origin is list:
        return f"list of {type_name(args[0], anchor_of=anchor_of)}"
    if origin is dict:
        key, value = (type_name(arg, anchor_of=anchor_of) for arg in args)
        return f"mapping of {key} to {value}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{anchor_of(annotation)})"
    return {str: "text", int: "whole number", bool: "true/false"}.get(annotation, str(annotation))


def _text_notes(metadata: typing.Iterable[Any]) -> list[str]:
    """The length limit and the rules of a text type (not of an id: its pattern says enough)."""
    notes = []
    for item in metadata:
        if isinstance(item, StringConstraints) and item.max_length and not item.pattern:
            notes.append(f"at most {item.max_length} characters")
        note = getattr(getattr(item, "func", None), "note", None)
        if note:
            notes.append(note)
    return notes


def _inner_text_notes(annotation: Any) -> list[str]:
    """The notes of the text inside an optional field, a list or a mapping's values."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _text_notes(args[1:]) if args[0] is str else []
    if origin in (typing.Union, types.UnionType, list):
        return [note for arg in args for note in _inner_text_notes(arg)]
    if origin is dict:
        return _inner_text_notes(args[1])
    return []


def _constraints(info: FieldInfo) -> str:
    notes = _text_notes(info.metadata)
    for item in info.metadata:
        if isinstance(item, MinLen) and item.min_length > 1:
            notes.append(f"at least {item.min_length}")
        if isinstance(item, MaxLen):
            notes.append(f"at most {item.max_length}")
        if isinstance(item, Ge):
            notes.append(f"≥ {item.ge}")
        if isinstance(item, Le):
            notes.append(f"≤ {item.le}")
    inner = _inner_text_notes(info.annotation)
    if inner:
        container = typing.get_origin(info.annotation) in (list, dict)
        inner_text = ("each " if container else "") + ", ".join(inner)
        notes = ["; ".join(filter(None, [", ".join(notes), inner_text]))]
    return f" ({', '.join(notes)})" if notes else ""


def field_reference(root: type[BaseModel], *, markdown_headings: bool = False) -> str:
    """Markdown: one section per model, one table row per field. The site's page gives each
    section an HTML heading with an id of its own (`schema-<model>`); `markdown_headings` gives
    plain `###` headings instead, linked by the anchors a Markdown viewer makes (a repository
    file, read on GitHub or in an editor)."""
    anchor_of = heading_anchor if markdown_headings else anchor
    sections = []
    for model in models_in_order(root):
        rows = []
        for name, info in model.model_fields.items():
            key = info.alias or name
            required = "yes" if info.is_required() else "no"
            description = html.escape(info.description or "", quote=False).replace("|", "\\|")
            kind = type_name(info.annotation, info, anchor_of) + _constraints(info)
            kind = kind.replace("|", "\\|")
            rows.append(f"| `{key}` | {kind} | {required} | {description} |")
        doc = " ".join((model.__doc__ or "").split())
        heading = (
            f"### `{model.__name__}`"
            if markdown_headings
            else f'<h3 id="{anchor(model)}"><code>{model.__name__}</code></h3>'
        )
        sections.append(
            f"{heading}\n\n{doc}\n\n"
            "| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n"
            + "\n".join(rows)
        )
    return "\n\n".join(sections) + "\n"
