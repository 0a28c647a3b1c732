"""Jobs: how grading work leaves the web request (runners, the Celery worker, sweeps, commands).

Layer: above ``services`` (they store results) and below the web blueprints; ``grading`` is the pure
library every layer may call. See docs/architecture.md.
"""
