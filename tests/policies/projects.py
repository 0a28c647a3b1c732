"""Access policy of the project exercise routes (Kumpulkan and Download ZIP on the exercise page)."""
POLICY = {
    "trainee.submit_latest_commit": {"trainee"},
    "trainee.project_zip": {"trainee"},
}
