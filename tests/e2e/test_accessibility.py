"""Browser: every role's main pages have no axe-core violations (WCAG 2 A and AA) and no horizontal
scroll on a phone, at 1366×768 and at 390×844.

axe-core comes from npm (package.json, installed by `npm ci`); its script is injected into each page.
One browser context per screen size; each role logs in once per size. Uses peserta3 (mentored by
mentor1) for the graded submission that the trainee's and the mentor's pages show.
"""
import time
from pathlib import Path

import pytest

from tests.conftest import require_or_skip
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
PHONE_WIDTH = 576  # Bootstrap's "sm": narrower than this is a phone
#: Controls a finger must hit: at least 44 px high on a phone (links inside text are exempt).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "main .btn, main button, main select, main summary, main input:not([type=hidden]):not([type=checkbox]):not([type=radio])")]
  .filter(e => e.offsetParent !== null && !e.closest(".visually-hidden, .cm-editor"))
  .filter(e => e.getBoundingClientRect().height < 43.5)
  .map(e => `${e.tagName.toLowerCase()} "${(e.textContent || e.value || "").trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().height)} px`)"""
TRAINEE, MENTOR = "peserta3@tic.test", "mentor1@tic.test"
ANSWERS = {
    "jawaban-profil": 'nama_kecamatan = "Pamulang"\nkelurahan_pamulang = 8\nluas_pamulang = 26.82\nsudah_terdata = True',
}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def submission_id(live_app):
    """A graded submission of the trainee's first exercise, and a help request in the mentor's queue."""
    from tic_academy.extensions import db
    from tic_academy.jobs.runners import get_runner
    from tic_academy.models import Submission
    from tic_academy.services import review_queue
    from tic_academy.services.accounts import find_user
    from tic_academy.services.enrollment import current_enrollment
    from tic_academy.services.submissions import create_submission

    with live_app.app_context():
        trainee = find_user(TRAINEE)
        exercise = current_enrollment(trainee.id).cohort.track.stages[0].exercises[0]
        submission = create_submission(trainee, exercise, ANSWERS)
        get_runner(live_app).enqueue(submission.id)
        deadline = time.monotonic() + 90
        while submission.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.3)
            db.session.expire_all()
            submission = db.session.get(Submission, submission.id)
        assert submission.status == "graded", submission.error
        review_queue.on_submission_graded(submission)
        review_queue.request_help(trainee, exercise, "Kenapa nilai saya belum penuh?")  # a row in the queue
        return submission.id


@pytest.fixture(scope="module", params=list(SIZES))
def sized_page(request, browser, live_server):
    """One browser context (and tab) per screen size, shared by the roles' tests."""
    require_or_skip(AXE.exists(), "axe-core missing: run `npm ci`")
    width, height = SIZES[request.param]
    phone = width < PHONE_WIDTH
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
        locale="id-ID",
        bypass_csp=True,  # lets the test inject axe-core's script; the pages themselves run as usual
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def problems_on(page, path: str) -> list[str]:
    """Open a page; list its axe violations and, on a phone, its horizontal overflow."""
    page.goto(path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # app.js marks scrollable boxes 150 ms after the last change
    found = []
    # The window's width as set, not innerWidth: a phone browser widens innerWidth to fit a wide page.
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        found.append(f"{path}: page is {scroll_width} px wide in a {width} px window")
    if width < PHONE_WIDTH:
        found += [f"{path}: tap target under 44 px: {target}" for target in page.evaluate(SMALL_TARGETS)]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
        found.append(f"{path}: {violation['id']} ({len(violation['nodes'])}×) e.g. {targets}{colours(violation)}")
    return found


def colours(violation: dict) -> str:
    """For a contrast violation, the distinct text/background pairs axe measured."""
    if violation["id"] != "color-contrast":
        return ""
    pairs = set()
    for node in violation["nodes"]:
        for check in node["any"]:
            data = check.get("data") or {}
            if "fgColor" in data:
                pairs.add(f"{data['fgColor']} on {data['bgColor']} = {data['contrastRatio']}")
    return " [" + ", ".join(sorted(pairs)) + "]"


def check_pages(page, email: str | None, paths: list[str]) -> None:
    """Log in as a role (or stay anonymous) and check each page; fail listing every problem."""
    page.context.clear_cookies()
    if email:
        log_in(page, email)
        page.wait_for_load_state("load")
    problems = []
    for path in paths:
        problems += problems_on(page, path)
    assert not problems, "\n".join(problems)


def test_login_page(sized_page):
    """Is the log-in page free of axe violations and horizontal scroll?"""
    check_pages(sized_page, None, ["/masuk"])


def test_trainee_pages(sized_page, submission_id):
    """Are the trainee's home, curriculum, workspace and submission pages accessible and phone-wide?"""
    sized_page.context.clear_cookies()
    log_in(sized_page, TRAINEE)
    sized_page.goto("/peserta/kurikulum")
    workspace = sized_page.locator("a[href*='/peserta/latihan/']").first.get_attribute("href")
    check_pages(
        sized_page,
        TRAINEE,
        ["/peserta/", "/peserta/kurikulum", workspace, f"/peserta/pengumpulan/{submission_id}"],
    )


def test_mentor_pages(sized_page, submission_id):
    """Are the mentor's queue, review page and trainee list accessible and phone-wide?"""
    check_pages(sized_page, MENTOR, ["/mentor/", f"/mentor/pengumpulan/{submission_id}", "/mentor/peserta"])


def test_opd_head_pages(sized_page):
    """Are the OPD head's home and nominations pages accessible and phone-wide?"""
    check_pages(sized_page, "kepala.diskominfo@tic.test", ["/opd/", "/opd/usulan"])


def test_admin_pages(sized_page):
    """Are the admin's overview, city dashboard, cohorts and users pages accessible and phone-wide?"""
    check_pages(sized_page, "admin@tic.test", ["/admin/", "/admin/dasbor", "/admin/angkatan", "/admin/pengguna"])


def test_exercise_insight_pages(sized_page):
    """Are the exercise insight overview (sortable table, chart) and an exercise's page accessible and phone-wide?"""
    sized_page.context.clear_cookies()
    log_in(sized_page, "admin@tic.test")
    sized_page.goto("/admin/wawasan")
    exercise = sized_page.locator("a[href^='/admin/wawasan/latihan/']").first.get_attribute("href")
    check_pages(sized_page, "admin@tic.test", ["/admin/wawasan", "/admin/wawasan?urut=berhenti&arah=turun", exercise])


@pytest.mark.parametrize("sized_page", ["phone"], indirect=True)
def test_workspace_fits_a_phone(sized_page):
    """On a phone: a toolbar under ~10% of the screen, 16 px editor text, no Shift+Enter hint?"""
    page = sized_page
    page.context.clear_cookies()
    log_in(page, TRAINEE)
    page.goto("/peserta/kurikulum")
    page.locator("a[href*='/peserta/latihan/']").first.click()
    page.wait_for_selector(".nb-editor-answer .cm-content")
    toolbar = page.locator(".workspace-toolbar").bounding_box()
    assert toolbar["height"] <= 0.1 * SIZES["phone"][1] + 1, f"toolbar is {toolbar['height']} px high"
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.nb-editor-answer .cm-content')).fontSize)")
    assert font >= 16  # smaller text makes iOS zoom the page when the editor gets focus
    assert not page.locator(".keyboard-hint").is_visible()
