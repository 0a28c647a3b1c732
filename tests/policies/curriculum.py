"""Access policy of the admin curriculum pages."""
POLICY = {
    "admin.curriculum": {"admin"},
    "admin.curriculum_sync": {"admin"},
}
