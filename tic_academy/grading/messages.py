"""Grading messages as codes with parameters: grading never stores words, the web layer words them.

A message is plain data, ``{"code": "timeout_cell", "params": {"seconds": 10}}``, so a result stored
today reads in Indonesian or English when shown (services/test_display.py gives each code its
`_()` text). CODES lists every code with the names of its parameters; add a code here and its text
there (tests/grading/test_messages.py fails otherwise).

Two codes carry text rather than a code: ``author`` (a test's own assert message or a rule's message,
written by the curriculum author, shown as written) and ``legacy`` (a result stored before codes
existed, shown as stored).
"""

from __future__ import annotations

#: Every message code and the names of its parameters.
CODES: dict[str, tuple[str, ...]] = {
    # Written by people, shown as written: text (Indonesian), en (optional English).
    "author": ("text", "en"),
    # A result stored before messages were codes (migrated text, Indonesian).
    "legacy": ("text",),
    # Test outcomes (scoring).
    "test_not_run": (),
    "test_failed": (),
    "exception": ("ename", "evalue"),
    "hidden_redacted": (),
    "setup_error": ("ename", "evalue"),
    # Limits and the kernel (kernel, pool).
    "timeout_cell": ("seconds",),
    "timeout_total": ("seconds",),
    "grading_timeout": (),
    "output_too_large": ("kib",),
    "kernel_no_reply": (),
    "kernel_memory": (),
    "kernel_cpu": (),
    "kernel_killed": (),
    "kernel_file_size": (),
    "kernel_signal": ("signal",),
    "kernel_exit": ("exit_code",),
    "kernel_unknown": (),
    "harness_died": (),
    "trainee_no_answer": (),
    # Inside the sandbox (inside/harness.py writes these codes itself: it cannot import this module).
    "compare": ("note", "left", "op", "right"),
    "handle_misuse": ("action", "type"),
    "handle_send": ("type",),
    "tests_miss_bug": ("label",),
    "trainee_undefined": ("name",),
    "trainee_module": ("name",),
    "trainee_bad_value": ("detail",),
    "trainee_bad_answer": (),
    # Assembly notes.
    "unknown_cell": ("cell",),
    "locked_edit_ignored": ("cell",),
    "duplicate_answer": ("cell",),
    # Grading refused (integrity).
    "import_not_allowed": ("cell", "line", "name", "allowed"),
    "magic_not_allowed": ("cell", "line"),
    # What an integrity flag found (the flag's code says why it matters); "inside": the magic it was found in.
    "flag_name": ("name", "inside"),
    "flag_import": ("name", "inside"),
    "flag_text": ("name", "inside"),
    "flag_indirect": ("name", "inside"),
    "flag_module_dict": ("module", "inside"),
    "flag_dynamic_name": ("function", "inside"),
    "flag_future": ("feature", "inside"),
    "flag_shell": ("inside",),
    "flag_magic": ("magic", "inside"),
    "flag_magic_unsafe": ("magic", "inside"),
    "flag_unchecked": ("reason", "inside"),
    "flag_magic_too_deep": ("inside",),
    "flag_magic_unreadable": ("inside",),
    # Project exercises (project.py, project_tree.py): how a points-map entry or the whole run ended.
    "project_timeout_total": ("seconds",),
    "project_test_timeout": ("seconds",),
    "project_incomplete": (),
    "project_not_run": (),
    "project_missing_test": (),
    "project_skipped": (),
    "project_collect_error": ("detail",),
    "project_failed": ("detail",),
    "project_bad_snapshot": ("error",),
    "project_too_large": ("mib", "files"),
    # What a project integrity flag found (also flag_import, flag_name and flag_unchecked above).
    "flag_config": ("name",),
    "flag_hook": ("name",),
    "flag_report": ("name",),
    "flag_report_twice": ("name",),
    # Repository checks (checks.py): why a check failed, or why the repository could not be read at all.
    "check_file_missing": ("path",),
    "check_file_empty": ("path",),
    "check_file_unchanged": ("path",),
    "check_file_not_text": ("path",),
    "check_pattern_missing": ("path", "pattern"),
    "check_conflict_marker": ("path", "line"),
    "check_requirement_invalid": ("path", "line", "text"),
    "check_requirement_unavailable": ("path", "line", "name"),
    "check_requirement_version": ("path", "line", "text", "version"),
    "check_requirement_missing": ("path", "name"),
    "check_no_merge": (),
    "check_branch_unknown": ("branch",),
    "check_branch_not_merged": ("branch",),
    "check_too_few_commits": ("wanted", "found"),
    "check_lazy_message": ("sha", "subject"),
    "check_short_message": ("sha", "subject", "length"),
    "check_no_commits": (),
    "check_repository_missing": (),
    "check_git_failed": ("error",),
    # The grading job itself failed (services): the error's own text, e.g. a malformed upload.
    "grading_failed": ("error",),
}

#: The operations a test may not do on a trainee's object (the "action" of handle_misuse).
HANDLE_ACTIONS = ("eq", "ne", "order", "bool", "len", "iter", "contains", "str", "format", "hash",
                  "arithmetic", "number")

#: Longest text kept in one parameter (a message is shown in a line or two, never a whole output).
MAX_PARAM_CHARS = 2000


def message(code: str, **params) -> dict:
    """Return a message; raises ValueError for an unknown code or parameter (a programming error)."""
    if code not in CODES:
        raise ValueError(f"unknown message code {code!r}")
    unknown = set(params) - set(CODES[code])
    if unknown:
        raise ValueError(f"message {code!r} has no parameter {sorted(unknown)!r}")
    return {"code": code, "params": params}


def author(text: str, en: str | None = None) -> dict:
    """Return a message written by a curriculum author (shown as written)."""
    return message("author", text=text, en=en) if en else message("author", text=text)


def checked(data) -> dict | None:
    """Return data as a valid message (from a process we do not trust to be right), else None."""
    if not isinstance(data, dict) or data.get("code") not in CODES or not isinstance(data.get("params", {}), dict):
        return None
    allowed = CODES[data["code"]]
    params = {}
    for name, value in data.get("params", {}).items():
        if name not in allowed:
            return None
        if value is not None and not isinstance(value, (str, int, float)):
            return None
        params[name] = value[:MAX_PARAM_CHARS] if isinstance(value, str) else value
    return {"code": data["code"], "params": params}


def texts(msg: dict | None) -> list[str]:
    """The text parameters of a message (to check whether it quotes a hidden test)."""
    params = (msg or {}).get("params") or {}
    return [value for value in params.values() if isinstance(value, str)]


def describe(msg: dict | None) -> str:
    """A message for logs and authors' reports, without translation: the text, or code(name=value, ...)."""
    if not msg:
        return ""
    params = msg.get("params") or {}
    if msg.get("code") in ("author", "legacy"):
        return str(params.get("text", ""))
    return f"{msg.get('code')}(" + ", ".join(f"{name}={value!r}" for name, value in params.items()) + ")"
