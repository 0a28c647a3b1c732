"""Dashboard charts and early states: whole people, scaled percent axes, titles, and "no data yet"."""
from tic_academy.extensions import db
from tic_academy.opd.charts import chart_spec, percent_axis_max


def test_people_axis_is_whole_numbers_and_percent_axis_fits_the_data():
    """Does a count chart ask for whole numbers, and a percent chart top out just above its largest value?"""
    people = chart_spec("bar", ["a", "b"], [{"label": "x", "data": [0, 1]}], unit="", value_title="Orang", category_title="Langkah")
    assert people["integer"] and "max" not in people and people["value_title"] == "Orang" and people["has_data"]
    share = chart_spec("line", [1, 2], [{"label": "y", "data": [4.0, 21.0]}], unit="%", value_title="Persen", category_title="Minggu")
    assert share["max"] == 30 and "integer" not in share and share["category_title"] == "Minggu"
    assert [percent_axis_max(v) for v in ([], [0], [9.9], [20], [95], [100])] == [10, 10, 10, 30, 100, 100]
    assert not chart_spec("bar", ["a"], [{"label": "z", "data": [0, 0.0]}], unit="%", value_title="", category_title="")["has_data"]


def test_planned_cohort_dashboard_has_empty_states_not_zero_percent(client, auth, make_cohort, make_user):
    """Does a planned cohort without trainees show "Belum ada data" instead of 0% cards, flat charts and export buttons?"""
    cohort = make_cohort(status="planned")
    auth.login(make_user(role="admin"))
    html = client.get(f"/admin/dasbor?angkatan={cohort.id}").get_data(as_text=True)
    assert ">0%<" not in html
    assert "Belum ada data" in html and 'id="per-opd-empty"' in html and 'id="funnel-empty"' in html
    assert "/ekspor/" not in html
    assert "/ekspor/" not in client.get(f"/admin/angkatan/{cohort.id}").get_data(as_text=True)


def test_opd_dashboard_of_a_planned_cohort_has_empty_states(client, auth, head, make_cohort, make_nomination):
    """Does an OPD head whose nominee waits for a planned cohort see "Belum ada data", not 0% and export buttons?"""
    cohort = make_cohort(status="planned")
    make_nomination(cohort, head)
    db.session.commit()
    auth.login(head)
    html = client.get("/opd/").get_data(as_text=True)
    assert cohort.name in html and ">0%<" not in html and "Belum ada data" in html and "/ekspor/" not in html


def test_city_charts_carry_axis_titles_and_whole_people(client, auth, make_cohort, make_user, enroll):
    """Do the city dashboard's chart specs carry axis titles, whole-people funnel and a scaled percent axis?"""
    import json
    import re

    cohort = make_cohort(status="running")
    enroll(cohort, make_user())
    auth.login(make_user(role="admin"))
    html = client.get(f"/admin/dasbor?angkatan={cohort.id}").get_data(as_text=True)
    specs = {m[0]: json.loads(m[1]) for m in re.findall(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', html, re.S)}
    assert specs["funnel"]["integer"] and specs["funnel"]["value_title"] == "Jumlah orang"
    assert specs["weekly"]["max"] <= 100 and specs["weekly"]["category_title"] == "Minggu"
