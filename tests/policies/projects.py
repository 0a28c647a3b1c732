"""Access policy of the project exercise routes (Kumpulkan, Download ZIP, the editor's JSON routes)."""
POLICY = {
    "trainee.submit_latest_commit": {"trainee"},
    "trainee.project_zip": {"trainee"},
    "trainee.api_project_files": {"trainee"},
    "trainee.api_project_commit": {"trainee"},
    "trainee.api_project_log": {"trainee"},
    "trainee.api_project_diff": {"trainee"},
    "trainee.api_project_test": {"trainee"},
    "trainee.api_project_comments": {"trainee"},
}


def url_values(users) -> dict:
    """A commit sha for the editor's diff URL (no repository holds it)."""
    return {"sha": "0" * 40}
