"""Browser: the city dashboard's charts count whole people and scale their percent axes to the data."""
import json

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_city_dashboard_axes(page, live_server):
    """Are the funnel's ticks whole people, and does no percent axis run to 100 % when its data stays lower?"""
    log_in(page, "admin@tic.test")
    page.wait_for_url(f"{live_server}/admin/")
    page.goto("/admin/dasbor")
    axes = {}
    for name in ("funnel", "per-opd", "weekly"):
        canvas = page.locator(f'canvas[data-chart="{name}-data"]')
        if canvas.count():
            canvas.wait_for()
            page.wait_for_function(f"document.querySelector('canvas[data-chart=\"{name}-data\"]').dataset.valueAxis")
            axes[name] = json.loads(canvas.get_attribute("data-value-axis"))
    assert "funnel" in axes
    assert axes["funnel"]["ticks"] and all(float(t).is_integer() for t in axes["funnel"]["ticks"])
    for name in ("per-opd", "weekly"):
        if name in axes:
            spec = json.loads(page.locator(f"#{name}-data").inner_text())
            top = max(v for dataset in spec["datasets"] for v in dataset["data"])
            assert top < axes[name]["max"] <= top + 10, (name, top, axes[name])
