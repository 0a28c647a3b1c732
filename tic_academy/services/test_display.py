"""How grading results are shown to people: task titles and messages in their language.

Grading stores its messages as a code and parameters (``grading/messages.py``: test
messages, notes, refusals) and its explanations as hint codes (``TestResult.hint``,
see ``grading.explain.HINT_CODES``); they are put into words here, when shown, so the
same stored result reads in Indonesian or English. MESSAGE_TEXTS holds one `_()`
string per message code (pybabel extracts them; tests/grading/test_messages.py checks
that no code lacks one).
"""
from __future__ import annotations

from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from ..grading import MESSAGE_CODES as CODES


#: The words of each grading message code; named placeholders are the code's parameters.
MESSAGE_TEXTS = {
    "test_not_run": _l("This test cell was not run."),
    "test_failed": _l("The test failed."),
    "exception": _l("%(ename)s: %(evalue)s"),
    "hidden_redacted": _l("[message hidden because it quotes a hidden test]"),
    "setup_error": _l("Error while preparing the test: %(ename)s: %(evalue)s"),
    "timeout_cell": _l("Time limit per cell (%(seconds)s seconds) exceeded; the kernel was stopped."),
    "timeout_total": _l("Total time limit (%(seconds)s seconds) exceeded; the kernel was stopped."),
    "grading_timeout": _l("Grading did not finish within the time limit; the kernel was stopped."),
    "output_too_large": _l("Output too large: one message from the kernel exceeded %(kib)s KiB and was dropped."),
    "kernel_no_reply": _l("The kernel did not answer."),
    "kernel_memory": _l("Kernel stopped: the sandbox's total memory limit was exceeded."),
    "kernel_cpu": _l("Kernel stopped: the CPU time limit was exceeded."),
    "kernel_killed": _l("Kernel killed (CPU or memory limit exceeded)."),
    "kernel_file_size": _l("Kernel stopped: the file size limit was exceeded."),
    "kernel_signal": _l("Kernel stopped by signal %(signal)s."),
    "kernel_exit": _l("The kernel ended with exit code %(exit_code)s (e.g. os._exit)."),
    "kernel_unknown": _l("The kernel ended for an unknown reason."),
    "harness_died": _l("The test process stopped."),
    "trainee_no_answer": _l("Your code's process did not answer the tester properly."),
    "compare": _l("Your code's result: %(left)s · expected (%(op)s): %(right)s"),
    "handle_misuse": _l("The test cannot use the %(type)s object made by your code for %(action)s; "
                        "return plain data (numbers, text, list, dict, ...)."),
    "handle_send": _l("The test cannot send a %(type)s object to your code."),
    "tests_miss_bug": _l("Your tests still pass on a wrong implementation (%(label)s). Add test cases."),
    "trainee_undefined": _l("Your code does not define %(name)s."),
    "trainee_module": _l("The module %(name)s of your code cannot be used by the test."),
    "trainee_bad_value": _l("A value from your code cannot be read: %(detail)s"),
    "trainee_bad_answer": _l("Your code's process did not answer properly."),
    "unknown_cell": _l("The answer for the unknown cell '%(cell)s' was ignored."),
    "locked_edit_ignored": _l("Changes to the locked/test cell '%(cell)s' were ignored; the original was used."),
    "duplicate_answer": _l("The answer cell '%(cell)s' appears more than once; the first was used."),
    "import_not_allowed": _l("Cell '%(cell)s' line %(line)s: importing '%(name)s' is not allowed in this exercise. "
                             "Allowed modules: %(allowed)s."),
    "magic_not_allowed": _l("Cell '%(cell)s' line %(line)s: magic/shell commands (%% or !) are not allowed in this "
                            "exercise."),
    "flag_name": _l("uses %(name)s"),
    "flag_import": _l("imports %(name)s"),
    "flag_text": _l("the text '%(name)s'"),
    "flag_indirect": _l("%(name)s used indirectly"),
    "flag_module_dict": _l("reads the module %(module)s through __dict__"),
    "flag_dynamic_name": _l("attribute name built at run time (%(function)s)"),
    "flag_future": _l("changes how Python reads later cells (__future__ %(feature)s)"),
    "flag_shell": _l("IPython shell command (!): runs programs outside the check"),
    "flag_magic": _l("IPython magic %(magic)s"),
    "flag_magic_unsafe": _l("IPython magic %(magic)s: cannot be checked"),
    "flag_unchecked": _l("the cell cannot be checked (%(reason)s); the score is held for a mentor"),
    "flag_magic_too_deep": _l("the cell cannot be checked (magics nested too deep); the score is held for a mentor"),
    "flag_magic_unreadable": _l("the cell cannot be checked (the code inside a magic cannot be read); "
                                "the score is held for a mentor"),
    "project_timeout_total": _l("Total time limit (%(seconds)s seconds) exceeded; the pytest process was stopped."),
    "project_test_timeout": _l("Time limit per test (%(seconds)s seconds) exceeded."),
    "project_incomplete": _l("The pytest report is incomplete: the process stopped before every test finished."),
    "project_not_run": _l("The test did not run: the pytest process stopped before this test finished."),
    "project_missing_test": _l("The test was not found during grading."),
    "project_skipped": _l("The test was skipped."),
    "project_collect_error": _l("The test files could not be loaded: %(detail)s"),
    "project_failed": _l("The test failed: %(detail)s"),
    "project_bad_snapshot": _l("The commit's files could not be read: %(error)s"),
    "project_too_large": _l("The commit is too large to grade (more than %(mib)s MiB, or more than %(files)s files)."),
    "flag_config": _l("pytest/Python configuration file planted in the repository (%(name)s); the platform ignores it"),
    "flag_hook": _l("application code defines the pytest hook %(name)s"),
    "flag_report": _l("the pytest report contains a test that does not exist: %(name)s"),
    "flag_report_twice": _l("the pytest report contains two results for the test %(name)s"),
    "check_file_missing": _l("The file %(path)s is not in the graded commit."),
    "check_file_empty": _l("The file %(path)s is empty."),
    "check_file_unchanged": _l("The file %(path)s is still the template's version: change it as the task asks."),
    "check_file_not_text": _l("The file %(path)s is not a text file."),
    "check_pattern_missing": _l("The file %(path)s does not yet contain what the task asks (pattern %(pattern)s)."),
    "check_conflict_marker": _l("The file %(path)s still has a conflict marker on line %(line)s: "
                                "finish resolving the conflict, delete the <<<<<<<, ======= and >>>>>>> lines, "
                                "then commit again."),
    "check_requirement_invalid": _l("Line %(line)s of %(path)s is not a valid requirement: %(text)s"),
    "check_requirement_unavailable": _l("Line %(line)s of %(path)s: the package %(name)s cannot be installed in "
                                        "the grading environment."),
    "check_requirement_version": _l("Line %(line)s of %(path)s (%(text)s) does not match the available version "
                                    "%(version)s."),
    "check_requirement_missing": _l("%(path)s does not list the package %(name)s."),
    "check_no_merge": _l("main has no merge commit of yours yet: merge the branch with git merge, then push main."),
    "check_branch_unknown": _l("The repository has no prepared branch %(branch)s; tell your mentor."),
    "check_branch_not_merged": _l("The branch %(branch)s has not been merged into main yet (git merge "
                                  "origin/%(branch)s)."),
    "check_too_few_commits": _l("main has %(found)s commit(s) of yours; at least %(wanted)s are needed."),
    "check_lazy_message": _l("The message of commit %(sha)s (\"%(subject)s\") does not say what changed: "
                             "write what and why, e.g. \"Tambah kategori pada format aduan\"."),
    "check_short_message": _l("The message of commit %(sha)s (\"%(subject)s\") is too short: at least %(length)s "
                              "characters that say what changed."),
    "check_no_commits": _l("main has no commit of yours yet: commit your work and push it (git push)."),
    "check_repository_missing": _l("Your repository could not be found on the server, so it could not be checked. "
                                   "Tell your mentor."),
    "check_git_failed": _l("Your repository could not be read (%(error)s). Tell your mentor."),
    "grading_failed": _l("Grading failed (%(error)s). Please submit again; if it keeps failing, tell your mentor."),
}

#: Words for messages stored without one of their parameters (results stored before codes: no seconds known).
TEXTS_WITHOUT_PARAMS = {
    "timeout_cell": _l("Time limit per cell exceeded; the kernel was stopped."),
    "timeout_total": _l("Total time limit exceeded; the kernel was stopped."),
}

#: The words of each handle_misuse action (grading.messages.HANDLE_ACTIONS): "… the object made by your code for <action>".
HANDLE_ACTION_TEXTS = {
    "eq": _l("comparison (==)"),
    "ne": _l("comparison (!=)"),
    "order": _l("ordering (<, >)"),
    "bool": _l("a true/false test (bool)"),
    "len": _l("its length (len)"),
    "iter": _l("iteration (for/iter)"),
    "contains": _l("membership (in)"),
    "str": _l("conversion to text (str)"),
    "format": _l("formatting"),
    "hash": _l("hashing"),
    "arithmetic": _l("arithmetic"),
    "number": _l("conversion to a number"),
}

#: Codes whose text is a person's (or an old result's), shown as written.
TEXT_CODES = ("author", "legacy")


def message_text(msg) -> str:
    """Put a grading message into words in the reader's language (empty for none; old plain text as is)."""
    if not msg:
        return ""
    if isinstance(msg, str):
        return msg  # e.g. a Celery result from a worker that predates message codes
    code, params = msg.get("code"), dict(msg.get("params") or {})
    if code in TEXT_CODES:
        return (params.get("en") if _locale() == "en" else None) or params.get("text") or ""
    if code not in MESSAGE_TEXTS:
        return code or ""
    if code == "handle_misuse":
        action = HANDLE_ACTION_TEXTS.get(params.get("action"))
        params["action"] = str(action) if action is not None else params.get("action")
    words = MESSAGE_TEXTS[code]
    if code in TEXTS_WITHOUT_PARAMS and any(params.get(name) is None for name in CODES[code]):
        words = TEXTS_WITHOUT_PARAMS[code]
    if code == "exception" and not params.get("evalue"):
        return str(params.get("ename") or "")
    text = str(words) % {name: params.get(name, "") for name in CODES.get(code, ())}
    if code == "compare" and params.get("note"):
        text = f"{params['note']}\n{text}"
    if params.get("inside"):  # an integrity flag found in the code a magic runs
        text = _("%(detail)s (inside %(magic)s)", detail=text, magic=params["inside"])
    return text


def missing_texts() -> list[str]:
    """Message codes of grading with no words here (tests fail on any)."""
    return [code for code in CODES if code not in MESSAGE_TEXTS and code not in TEXT_CODES]


def _field(test, name: str, default=None):
    """Read a field of a result given as a dict (grading JSON) or as a row (TestResult)."""
    if isinstance(test, dict):
        return test.get(name, default)
    return getattr(test, name, default)


def _locale() -> str:
    """The current locale ("id" when none is set)."""
    return str(get_locale() or "id")


def rule_message(hint: dict) -> str:
    """The rule's message in the reader's language, falling back to Indonesian."""
    message = hint.get("message") or {}
    return (message.get("en") if _locale() == "en" else None) or message.get("id") or hint.get("rule", "")


def hint_text(hint: dict | None) -> str:
    """Put a hint into words (empty when there is none)."""
    code = (hint or {}).get("code")
    cell, task = hint.get("cell") if hint else None, (hint or {}).get("task")
    if code == "unfilled":
        if task:
            return _("This answer cell is not filled in yet: %(cell)s (%(task)s).", cell=cell, task=task)
        return _("This answer cell is not filled in yet: %(cell)s.", cell=cell)
    if code == "syntax":
        return _("The answer cell %(cell)s has a syntax error on line %(line)s: Python cannot read it, "
                 "so this test cannot use it.", cell=cell, line=hint.get("line"))
    if code == "earlier_failure":
        return _("A name this test needs is missing because the answer cell %(cell)s stopped with an error "
                 "(%(error)s). Fix that cell first.", cell=cell, error=hint.get("error") or "?")
    if code == "rule":
        if hint.get("unfilled"):
            return hint_text({"code": "unfilled", "cell": hint["unfilled"]})
        if hint.get("line"):
            return _("Not followed in the answer cell %(cell)s, line %(line)s.", cell=cell, line=hint["line"])
        return _("Not followed in your answer cells.")
    return ""


def task_title(test) -> str:
    """The test's task name in the reader's language (English only when the author gave one)."""
    return (_field(test, "title_en") if _locale() == "en" else None) or _field(test, "title") or ""


def shown_test(test) -> dict:
    """A test result as the workspace, the submission page and the review page show it."""
    hint = _field(test, "hint") or {}
    status = _field(test, "status")
    gid = _field(test, "grade_id")
    title = rule_message(hint) if hint.get("code") == "rule" else (task_title(test) or gid)
    message = message_text(_field(test, "message"))
    if hint and status in ("failed", "error"):
        message = hint_text(hint)
    elif hint.get("code") == "rule":
        message = ""
    return {
        "grade_id": gid,
        "title": title,
        "is_rule": hint.get("code") == "rule",
        "status": status,
        "points": _field(test, "points"),
        "max_points": _field(test, "max_points"),
        "message": message,
    }
