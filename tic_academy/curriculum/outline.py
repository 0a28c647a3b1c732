"""The track outline in the README, made from the track file: stages, weeks, hours, wrong answers.

``flask curriculum outline`` prints it; ``--write README.md`` replaces the part between the two marker
lines, and a test fails when the README and the track file disagree.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from .strength import SIDECAR_SUFFIX

BEGIN = "<!-- outline:begin (made by `flask --app wsgi curriculum outline --write README.md`) -->"
END = "<!-- outline:end -->"


def wrong_answer_count(root: Path, entry: dict) -> int:
    """How many wrong answers prove this exercise (its sidecar, or its project's wrong_answers)."""
    if entry.get("kind") == "project":
        path = root / "projects" / entry["project"] / "project.yaml"
    else:
        notebook = root / "notebooks" / entry["notebook"]
        path = notebook.with_name(notebook.name[: -len(".ipynb")] + SIDECAR_SUFFIX)
    if not path.is_file():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return len(data.get("wrong_answers") or [])


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".replace(".0", "")


def outline(track_path: Path) -> str:
    """The README's track outline (English prose, Indonesian titles) for one track file."""
    root = track_path.resolve().parent.parent
    track = yaml.safe_load(track_path.read_text(encoding="utf-8"))
    per_week_required: dict[int, int] = defaultdict(int)
    per_week_optional: dict[int, int] = defaultdict(int)
    stage_rows = []
    lines = []
    total_required = total_projects = 0
    for number, stage in enumerate(track["stages"], start=1):
        first, last = stage["weeks"]
        weeks = f"week {first}" if first == last else f"weeks {first}–{last}"
        rule = f"pass at {round(stage['pass_threshold'] * 100)}% of the required points"
        if any(e.get("must_pass") for e in stage["exercises"]):
            rule += ", each must-pass exercise at that share too"
        if stage.get("signoff_required"):
            rule += "; mentor sign-off required"
        lines.append(f"{number}. **{stage['title']['id']}** ({stage['title'].get('en', '')}), {weeks}, {rule}")
        counts = {"notebooks": 0, "projects": 0, "optional": 0, "wrong": 0}
        for entry in stage["exercises"]:
            project = entry.get("kind") == "project"
            marks = []
            if project:
                marks.append("git project")
            if entry.get("must_pass"):
                marks.append("must pass")
            if not entry.get("required", True):
                marks.append("optional")
            suffix = f" — {', '.join(marks)}" if marks else ""
            wrong = wrong_answer_count(root, entry)
            lines.append(f"   - week {entry['week']}: {entry['title']['id']} ({entry['minutes']} min, {wrong} wrong answers){suffix}")
            if entry.get("required", True):
                per_week_required[entry["week"]] += entry["minutes"]
                counts["projects" if project else "notebooks"] += 1
                total_required += 1
                total_projects += project
            else:
                per_week_optional[entry["week"]] += entry["minutes"]
                counts["optional"] += 1
            counts["wrong"] += wrong
        stage_rows.append((stage["title"]["id"], weeks, counts))
    head = [
        f"{track['weeks']} weeks at about {track.get('hours_per_week', '?')} hours a week; "
        f"{total_required} required exercises ({total_projects} of them git projects) in {len(track['stages'])} stages, "
        "every one auto-graded (projects add rubric points a mentor grades) and proven by `flask curriculum validate`. "
        "Minutes count the required work; the ungraded practice cells of a notebook add 10–25 minutes for those "
        "who want them. Optional exercises stay open as enrichment.",
        "",
    ]
    table = ["", "| stage | weeks | notebooks | git projects | optional | wrong answers proven |",
             "|---|---|---|---|---|---|"]
    for title, weeks, counts in stage_rows:
        table.append(f"| {title} | {weeks} | {counts['notebooks']} | {counts['projects']} | {counts['optional']} | {counts['wrong']} |")
    hours = ["", "| week | " + " | ".join(str(w) for w in range(1, track["weeks"] + 1)) + " |",
             "|---|" + "---|" * track["weeks"],
             "| hours (required) | " + " | ".join(_hours(per_week_required[w]) for w in range(1, track["weeks"] + 1)) + " |",
             "| hours (optional) | " + " | ".join(_hours(per_week_optional[w]) for w in range(1, track["weeks"] + 1)) + " |"]
    return "\n".join(head + lines + table + hours) + "\n"


def replace_in(text: str, body: str) -> str:
    """``text`` with the part between the outline markers replaced by ``body``."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n\n" + body + "\n" + text[end:]
