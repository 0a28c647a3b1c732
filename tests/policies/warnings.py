"""Access policy of the early warning's pages (tests/warnings checks that another mentor is refused)."""
POLICY = {
    # Object-level: the trainee's mentor (the item's) and admins.
    "mentor.warning": {"mentor", "admin"},
    "admin.warning_settings": {"admin"},
}
