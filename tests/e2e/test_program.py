"""Browser: an OPD head nominates, the admin approves, the new trainee sets a password, the head sees them."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.e2e.conftest import log_in, screenshot
from tic_academy.clock import today_wib

pytestmark = pytest.mark.e2e

NOMINEE = "Larasati Program E2E"
EMAIL = "larasati.program.e2e@tic.test"
NEW_PASSWORD = "sandi-baru-larasati-2026"


@pytest.fixture
def planned_cohort(live_app):
    """A planned cohort of the demo track to nominate for (created once in the live database)."""
    from tic_academy.extensions import db
    from tic_academy.models import Track
    from tic_academy.models.program import Cohort

    with live_app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Angkatan E2E Program"))
        if cohort is None:
            track = db.session.scalar(select(Track).where(Track.slug == "programmer-pemerintahan"))
            cohort = Cohort(name="Angkatan E2E Program", track=track, start_date=today_wib() + timedelta(days=21),
                            capacity=10, status="planned")
            db.session.add(cohort)
            db.session.commit()
        return cohort.id


def new_tab(browser, live_server):
    """A tab with its own cookies (a second person at another computer)."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    return context.new_page()


def test_nomination_to_trainee_home(page, browser, live_server, planned_cohort):
    """Can a nominee go from the OPD head's form, through the admin's approval and the invitation, to the trainee home?"""
    # The OPD head nominates a staff member.
    log_in(page, "kepala.diskominfo@tic.test")
    page.wait_for_url(f"{live_server}/opd/")
    page.goto("/opd/usulan/baru")
    assert page.locator("#data-use").is_visible()
    page.select_option("select[name=cohort_id]", str(planned_cohort))
    page.fill("input[name=full_name]", NOMINEE)
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=phone]", "0812-7777-0707")
    page.fill("input[name=position]", "Pengelola Data")
    page.fill("input[name=unit]", "Bidang Aplikasi Informatika")
    page.select_option("select[name=employment_status]", "contract")
    page.select_option("select[name=education]", "d3")
    page.fill("textarea[name=motivation]", "Sudah membuat beberapa makro spreadsheet untuk bidangnya.")
    page.fill("input[name=hours_per_week]", "15")
    page.check("input[name=supervisor_agrees]")
    page.click("input[name=submit]")
    page.wait_for_url(f"{live_server}/opd/usulan")
    assert page.locator("#nomination-table").get_by_text(NOMINEE).is_visible()

    # The admin approves it.
    admin = new_tab(browser, live_server)
    log_in(admin, "admin@tic.test")
    admin.wait_for_url(f"{live_server}/admin/")
    admin.goto(f"/admin/usulan?angkatan={planned_cohort}&status=submitted")
    admin.get_by_role("link", name=NOMINEE).click()
    admin.check("input[name=decision][value=approved]")
    admin.click("input[name=submit]")
    admin.wait_for_url(re.compile(r".*/admin/usulan\?angkatan=\d+"))

    # The invitation is in the outbox.
    admin.goto("/admin/kotak-keluar")
    row = admin.locator("tr", has_text=EMAIL)
    row.get_by_role("link").first.click()
    body = admin.locator(".mail-body").inner_text()
    path = re.search(r"(/atur-kata-sandi/[\w-]+)", body).group(1)
    screenshot(admin, "program-invitation")
    admin.context.close()

    # The new trainee opens the link, sets a password and lands on the trainee home.
    trainee = new_tab(browser, live_server)
    trainee.goto(path)
    trainee.fill("input[name=password]", NEW_PASSWORD)
    trainee.fill("input[name=confirm]", NEW_PASSWORD)
    trainee.click("input[type=submit], button[type=submit]")
    trainee.wait_for_url(f"{live_server}/peserta/")
    trainee.context.close()

    # The OPD head's dashboard shows them.
    page.goto(f"/opd/?angkatan={planned_cohort}")
    assert page.locator("#trainee-table").get_by_text(NOMINEE).is_visible()
    screenshot(page, "program-opd-dashboard")
