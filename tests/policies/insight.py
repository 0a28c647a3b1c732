"""Access policy of the exercise insight pages: admins and mentors read them; OPD heads and trainees get 403."""
POLICY = {
    "admin.insight_overview": {"admin", "mentor"},
    "admin.insight_exercises_csv": {"admin", "mentor"},
    "admin.insight_exercise": {"admin", "mentor"},
    "admin.insight_tests_csv": {"admin", "mentor"},
    "admin.insight_samples": {"admin", "mentor"},
}
