"""Access policy of the project review routes (a mentor's comment on a file line; the trainee's comments as JSON)."""
POLICY = {
    "mentor.file_comment": {"mentor", "admin"},
    "trainee.submission_file_comments": {"trainee"},
}
