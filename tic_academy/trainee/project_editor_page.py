"""What the project editor's script needs from the page: its URLs and its translated texts."""
from flask import url_for
from flask_babel import gettext as _, pgettext

#: Stands for the commit sha in the diff URL the script fills in.
SHA_PLACEHOLDER = "0" * 40


def editor_data(user_id: int, exercise_id: int, slug: str) -> dict:
    """The JSON the page hands to project-editor.js (no inline script: the CSP forbids it)."""
    return {
        "user_id": user_id,
        "exercise_id": exercise_id,
        "sha_placeholder": SHA_PLACEHOLDER,
        "urls": {
            "files": url_for("trainee.api_project_files", slug=slug),
            "commit": url_for("trainee.api_project_commit", slug=slug),
            "log": url_for("trainee.api_project_log", slug=slug),
            "diff": url_for("trainee.api_project_diff", slug=slug, sha=SHA_PLACEHOLDER),
            "test": url_for("trainee.api_project_test", slug=slug),
            "comments": url_for("trainee.api_project_comments", slug=slug),
        },
        "messages": editor_messages(),
    }


def editor_messages() -> dict:
    """The editor's translated texts for project-editor.js."""
    return {
        "loading": _("Loading the files…"),
        "load_failed": _("The files could not be loaded. Reload the page to try again."),
        "network_error": _("No connection to the server. Your edits are kept in this browser."),
        "server_error": _("Something went wrong on the server. Your edits are kept in this browser."),
        "close": _("Close"),
        "no_file": _("Choose a file on the left, or create one."),
        "binary": _("This file is not text (or is too large) and cannot be edited here."),
        "editor_label": _("Contents of %(path)s"),
        "new_file_prompt": _("Name of the new file (for example app/utils.py):"),
        "new_folder_prompt": _("Name of the new folder (for example app/templates):"),
        "rename_prompt": _("New name for %(path)s:"),
        "delete_confirm": _("Delete %(path)s? This takes effect when you save as a commit."),
        "exists": _("%(path)s already exists."),
        "bad_name": _("That name is not allowed: use letters, digits, space, dot, dash and underscore, "
                      "with / between folders."),
        "status_clean": _("No unsaved edits"),
        "status_dirty": _("%(count)s files with unsaved edits (kept in this browser)"),
        "changed_mark": _("changed"),
        "new_mark": _("new"),
        "deleted_mark": _("deleted"),
        "folder": _("Folder %(path)s"),
        "committing": _("Saving the commit…"),
        "committed": _("Saved as commit %(sha)s."),
        "need_message": _("Write a commit message."),
        "nothing_to_commit": _("There are no changes to save."),
        "stale_reload": _("Reload from the server (keeps your edits)"),
        "stale_changes": _("See the changes"),
        "reloaded": _("Loaded commit %(sha)s from the server. Your edits were put back on top of it; a copy of "
                      "them is kept in this browser."),
        "restored": _("Unsaved edits from this browser were restored."),
        "older_draft": _("Unsaved edits made on an earlier commit (%(sha)s) were found in this browser."),
        "older_draft_apply": _("Put them back on top of the latest commit"),
        "older_draft_discard": _("Discard them"),
        "testing": _("Running the public tests…"),
        "test_title": _("Public tests of your working copy"),
        "test_hint": _("These are the template's public tests on your files, including unsaved edits. "
                       "Nothing is submitted: use Kumpulkan for that (it grades the latest commit)."),
        "points_of": _("%(points)s of %(max)s points"),
        "score": _("Score"),
        "test_passed": pgettext("test", "passed"),
        "test_failed": _("failed"),
        "test_error": _("error"),
        "test_timeout": _("time out"),
        "test_not_run": _("not run"),
        "show_diff": _("Show changes"),
        "hide_diff": _("Hide changes"),
        "diff_cut": _("The changes are too long; only the beginning is shown."),
        "diff_of": _("Changes of commit %(sha)s"),
        "new_since": _("new since you opened the editor"),
        "comments_title": _("Mentor comments on %(path)s"),
        "comment_on_line": _("Comment on line %(line)s"),
        "comments_on_line": _("%(count)s mentor comments on line %(line)s"),
        "comment_by": _("%(author)s, line %(line)s"),
        "earlier_version": _("on an earlier version"),
        "earlier_title": _("Comments on lines that are no longer in this file (on an earlier version)"),
        "submit_dirty": _("You have unsaved edits. Kumpulkan submits the latest commit without them. Continue?"),
    }
