"""Replace bare role and status strings by the members of ``tic_academy/enums.py`` (a mechanical rewrite).

Run from the checkout: ``python scripts/enum_strings.py [--check]``. It rewrites only
patterns whose meaning is certain from the line itself (``role_required("admin")``,
``user.role == "mentor"``, ``Enrollment.status == "active"``, ``Cohort(status="running")``
...), adds the ``from ..enums import ...`` line the file needs, and prints the lines
it left alone because the owner of ``.status`` is not known. Running it again changes
nothing, so it can be re-run after merging branches that add new bare strings.
``--check`` only lists what it would change and exits 1 if there is anything.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "tic_academy"
SKIP_DIRS = {"grading", "translations", "static", "templates"}

ENUM_VALUES = {
    "Role": ("trainee", "mentor", "opd_head", "admin"),
    "CohortStatus": ("planned", "running", "finished"),
    "EnrollmentStatus": ("active", "graduated", "withdrawn"),
    "NominationStatus": ("draft", "submitted", "approved", "waitlisted", "rejected", "enrolled", "withdrawn"),
    "SubmissionStatus": ("queued", "running", "graded", "failed"),
    "SubmissionMode": ("check", "submit"),
    "IntegrityStatus": ("clear", "held", "cleared", "confirmed"),
    "SignOffStatus": ("requested", "approved", "returned"),
    "ItemKind": ("manual_grading", "signoff", "help", "flagged", "similarity"),
    "ItemStatus": ("open", "done", "superseded"),
    "Decision": ("approved", "changes_requested"),
}

#: The object before ``.status`` (or the model called with ``status=``) -> its enum.
STATUS_OWNERS = {
    "cohort": "CohortStatus", "Cohort": "CohortStatus", "c": "CohortStatus",
    "enrollment": "EnrollmentStatus", "Enrollment": "EnrollmentStatus",
    "nomination": "NominationStatus", "Nomination": "NominationStatus",
    "submission": "SubmissionStatus", "Submission": "SubmissionStatus",
    "signoff": "SignOffStatus", "SignOff": "SignOffStatus",
    "item": "ItemStatus", "ReviewItem": "ItemStatus", "other": "ItemStatus",
}
#: Other attributes with a closed set of values -> their enum.
ATTRIBUTE_ENUMS = {"role": "Role", "integrity_status": "IntegrityStatus", "mode": "SubmissionMode",
                   "kind": "ItemKind", "decision": "Decision"}
#: Owners of ``.kind`` / ``.mode`` whose values are not the enum's (grading kinds, filters).
NOT_OURS = {"grading", "g", "entry", "filters", "test", "t"}
#: Classes whose ``self.status``/``cls.status`` means this enum (the file's model).
SELF_STATUS = {"models/program.py": None, "models/work.py": "SubmissionStatus", "models/mentoring.py": None}

STRING = r'"([a-z_]+)"'


def member(enum: str, value: str) -> str | None:
    """``Role.ADMIN`` for ("Role", "admin"), or None when the value is not in the enum."""
    return f"{enum}.{value.upper()}" if value in ENUM_VALUES[enum] else None


def replace_strings(text: str, enum: str, used: set[str]) -> str:
    """Every quoted member value of ``enum`` in ``text`` (a call's arguments or a tuple) as the member."""

    def swap(match: re.Match) -> str:
        name = member(enum, match.group(1))
        if name is None:
            return match.group(0)
        used.add(enum)
        return name

    return re.sub(STRING, swap, text)


def status_enum(owner: str, path: str) -> str | None:
    """The enum of ``owner.status`` in the file at ``path`` (relative to the package)."""
    if owner in ("self", "cls"):
        return SELF_STATUS.get(path)
    return STATUS_OWNERS.get(owner)


def rewrite_line(line: str, path: str, used: set[str], unsure: list[str]) -> str:
    """The line with every certain bare string replaced."""
    stripped = line.lstrip()
    if stripped.startswith("#") or '"""' in line:
        return line

    # role_required("mentor", "admin")
    line = re.sub(r"role_required\(([^)]*)\)",
                  lambda m: f"role_required({replace_strings(m.group(1), 'Role', used)})", line)

    # owner.attribute ==/!= "value"  and  owner.attribute = "value"
    def compare(match: re.Match) -> str:
        owner, attribute, operator, value = match.groups()
        enum = status_enum(owner, path) if attribute == "status" else ATTRIBUTE_ENUMS.get(attribute)
        if owner in NOT_OURS or enum is None:
            unsure.append(f"{path}: {line.strip()}")
            return match.group(0)
        name = member(enum, value)
        if name is None:
            unsure.append(f"{path}: {line.strip()}")
            return match.group(0)
        used.add(enum)
        return f"{owner}.{attribute} {operator} {name}"

    line = re.sub(r"\b(\w+)\.(status|role|integrity_status|mode|kind|decision)\s*(==|!=|=)\s*" + STRING,
                  compare, line)

    # owner.attribute in ("a", "b")  /  owner.attribute.in_(("a", "b"))  /  .not_in(...)
    def membership(match: re.Match) -> str:
        owner, attribute, between, inside = match.groups()
        enum = status_enum(owner, path) if attribute == "status" else ATTRIBUTE_ENUMS.get(attribute)
        if owner in NOT_OURS or enum is None:
            unsure.append(f"{path}: {line.strip()}")
            return match.group(0)
        return f"{owner}.{attribute}{between}({replace_strings(inside, enum, used)})"

    line = re.sub(r"\b(\w+)\.(status|role|integrity_status|mode|kind|decision)(\s+(?:not\s+)?in\s+|\.in_\(|\.not_in\()"
                  r"\(([^()]*)\)", membership, line)

    # bare role comparisons and keywords: role == "admin", role="admin"
    def bare_role(match: re.Match) -> str:
        operator, value = match.groups()
        name = member("Role", value)
        if name is None:
            return match.group(0)
        used.add("Role")
        return f"role {operator} {name}" if operator != "=" else f"role={name}"

    line = re.sub(r"(?<![.\w])role\s*(==|!=|=)\s*" + STRING, bare_role, line)

    # Model(..., status="value") and kind="help" keywords when one model is called on the line
    models = re.findall(r"\b(Cohort|Enrollment|Nomination|Submission|SignOff|ReviewItem)\(", line)
    if len(set(models)) == 1:
        enum = STATUS_OWNERS[models[0]]

        def keyword(match: re.Match) -> str:
            name = member(enum, match.group(1))
            if name is None:
                return match.group(0)
            used.add(enum)
            return f"status={name}"

        line = re.sub(r"(?<![.\w])status=" + STRING, keyword, line)
    for attribute in ("integrity_status", "mode", "kind", "decision"):
        enum = ATTRIBUTE_ENUMS[attribute]

        def attribute_keyword(match: re.Match, attribute=attribute, enum=enum) -> str:
            name = member(enum, match.group(1))
            if name is None:
                return match.group(0)
            used.add(enum)
            return f"{attribute}={name}"

        if attribute == "mode" or attribute == "kind":
            if not re.search(r"\b(Submission|ReviewItem)\(", line):
                continue
        line = re.sub(rf"(?<![.\w]){attribute}=" + STRING, attribute_keyword, line)
    # Enum.MEMBER if condition else "value": the other branch is a member of the same enum
    def other_branch(match: re.Match) -> str:
        enum, value = match.group(1), match.group(3)
        name = member(enum, value) if enum in ENUM_VALUES else None
        return f"{match.group(0)[:match.start(3) - match.start(0) - 1]}{name}" if name else match.group(0)

    line = re.sub(r"\b(\w+)\.[A-Z_]+ if (.+?) else " + STRING, other_branch, line)
    return line


def add_import(text: str, path: Path, used: set[str]) -> str:
    """The module text with ``from <..>enums import`` the used names (merged with an existing one)."""
    depth = len(path.relative_to(ROOT).parts) - 1
    module = "." * (depth + 1) + "enums"
    existing = re.search(rf"^from {re.escape(module)} import (.+)$", text, flags=re.M)
    if existing:
        names = sorted(set(n.strip() for n in existing.group(1).split(",")) | used)
        return text.replace(existing.group(0), f"from {module} import {', '.join(names)}", 1)
    line = f"from {module} import {', '.join(sorted(used))}"
    lines = text.split("\n")
    # After the last top-level "from .x import" / "from ..x import" line of the header.
    last = None
    for number, current in enumerate(lines):
        if current.startswith("from .") and not current.rstrip().endswith("("):
            last = number
        elif current.startswith("from .") and current.rstrip().endswith("("):
            closing = next(i for i in range(number, len(lines)) if lines[i].startswith(")"))
            last = closing
        elif current.startswith(("def ", "class ", "@")):
            break
    if last is None:
        for number, current in enumerate(lines):
            if current.startswith(("import ", "from ")):
                last = number
            elif current.startswith(("def ", "class ", "@")):
                break
    lines.insert(last + 1, line)
    return "\n".join(lines)


def main(check: bool) -> int:
    """Rewrite (or, with ``check``, only list) every module of the package."""
    changed, unsure = [], []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIP_DIRS or relative.as_posix() == "enums.py":
            continue
        text = path.read_text(encoding="utf-8")
        used: set[str] = set()
        new_lines = [rewrite_line(line, relative.as_posix(), used, unsure) for line in text.split("\n")]
        new_text = "\n".join(new_lines)
        if new_text != text:
            changed.append(relative.as_posix())
            if not check:
                path.write_text(add_import(new_text, path, used), encoding="utf-8")
    for line in changed:
        print(f"rewritten: {line}")
    for line in sorted(set(unsure)):
        print(f"left alone: {line}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
