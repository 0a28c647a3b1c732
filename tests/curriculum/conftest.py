"""Fixtures for curriculum tests."""
import pytest

from tic_academy.grading import GradingEngine, GradingSettings, Limits


@pytest.fixture(scope="session")
def engine():
    """One sandboxed grading engine per test process, with short limits."""
    grading_engine = GradingEngine(
        GradingSettings(sandbox="bwrap", pool_size=2, limits=Limits(cell_timeout_s=5, total_timeout_s=20))
    )
    if grading_engine.unavailable:
        from tests.conftest import require_or_skip

        require_or_skip(False, f"grading sandbox unavailable: {grading_engine.unavailable}")
    yield grading_engine
    grading_engine.close()
