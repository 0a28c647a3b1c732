"""Reading one track file (``curricula/<track>.yaml``) and checking it against its schema."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

LOCALISED = {
    "type": "object",
    "properties": {"id": {"type": "string", "minLength": 1}, "en": {"type": "string"}},
    "required": ["id"],
    "additionalProperties": False,
}
SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 64}

RULE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": SLUG,
        "check": {"enum": ["require_call", "forbid_call", "forbid_import", "sql_parameters", "no_literal"]},
        "names": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z_][\w.]*$"}},
        "values": {"type": "array", "items": {"type": ["string", "number", "boolean"]}},
        "cells": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "points": {"type": "number", "exclusiveMinimum": 0},
        "message": LOCALISED,
    },
    "required": ["id", "check", "points", "message"],
    "additionalProperties": False,
}

EXERCISE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": SLUG,
        #: "notebook" (the default) or "project" (a folder under projects/, see curriculum/projects.py).
        "kind": {"enum": ["notebook", "project"]},
        "notebook": {"type": "string", "pattern": r"^[^/].*\.ipynb$"},
        "project": SLUG,
        "title": LOCALISED,
        "week": {"type": "integer", "minimum": 1},
        "required": {"type": "boolean"},
        "minutes": {"type": "integer", "minimum": 1, "maximum": 2400},
        "limits": {
            "type": "object",
            "properties": {
                "cell_timeout_s": {"type": "number", "exclusiveMinimum": 0},
                "total_timeout_s": {"type": "number", "exclusiveMinimum": 0},
                "memory_mb": {"type": "integer", "minimum": 2048},
                "cpu_s": {"type": "integer", "minimum": 1},
                "output_bytes_cell": {"type": "integer", "minimum": 1024},
                "output_bytes_total": {"type": "integer", "minimum": 1024},
            },
            "additionalProperties": False,
        },
        "allowed_imports": {"type": "array", "items": {"type": "string"}},
        #: The exercise must itself reach its stage's threshold for the stage to be passed.
        "must_pass": {"type": "boolean"},
        "rules": {"type": "array", "items": RULE_SCHEMA},
    },
    "required": ["id", "title", "week", "minutes"],
    # A project names its folder and no notebook; anything else is a notebook exercise.
    "if": {"properties": {"kind": {"const": "project"}}, "required": ["kind"]},
    "then": {"required": ["project"], "not": {"required": ["notebook"]}},
    "else": {"required": ["notebook"], "not": {"required": ["project"]}},
    "additionalProperties": False,
}

STAGE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": SLUG,
        "title": LOCALISED,
        "description": LOCALISED,
        "weeks": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1},
            "minItems": 2,
            "maxItems": 2,
        },
        "pass_threshold": {"type": "number"},
        "signoff_required": {"type": "boolean"},
        "exercises": {"type": "array", "items": EXERCISE_SCHEMA},
    },
    "required": ["id", "title", "weeks", "pass_threshold", "exercises"],
    "additionalProperties": False,
}

TRACK_SCHEMA = {
    "type": "object",
    "properties": {
        "id": SLUG,
        "title": LOCALISED,
        "description": LOCALISED,
        "weeks": {"type": "integer", "minimum": 1, "maximum": 104},
        "hours_per_week": {"type": "integer", "minimum": 1, "maximum": 60},
        "stages": {"type": "array", "items": STAGE_SCHEMA, "minItems": 1},
    },
    "required": ["id", "title", "description", "weeks", "stages"],
    "additionalProperties": False,
}


@dataclass
class Problem:
    """One thing wrong with the curriculum: which file, where in it, what."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}: {self.where}" if self.where else self.file
        return f"{location}: {self.message}"


def read_track(path: Path, label: str) -> tuple[dict | None, list[Problem]]:
    """Parse a track file and check its schema; return (data or None, problems)."""
    return read_yaml(path, label, TRACK_SCHEMA)


def read_yaml(path: Path, label: str, schema: dict) -> tuple[dict | None, list[Problem]]:
    """Parse a YAML file and check it against a JSON schema; return (data or None, problems)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(label, "", f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        return None, [Problem(label, "", f"invalid YAML: {exc}".replace("\n", " "))]
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        Problem(label, _json_path(error.absolute_path), error.message)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return (None if problems else data), problems


def _json_path(path) -> str:
    """Render a schema error location like ``stages[1].exercises[0].week``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
