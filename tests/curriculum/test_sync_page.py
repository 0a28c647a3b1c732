"""The admin's curriculum page: the last sync summed up in Indonesian, the raw log folded away."""
from tests.notebook_factory import valid_tree
from tic_academy.admin.curriculum import summarise_sync
from tic_academy.extensions import db
from tic_academy.models import CurriculumSync


def test_sync_log_is_counted_per_change_kind(app):
    """Are the log's lines counted per action and kind, lines not understood kept apart?"""
    run = CurriculumSync(ok=True, report="\n".join([
        "track dasar: created", "stage s1: created", "exercise a: created", "exercise b: created",
        "exercise a: new version 0123456789ab", "exercise c: updated title_id, week",
        "exercise d: retired (it has submissions)", "stage s9: removed", "something unexpected",
    ]))
    summary = summarise_sync(run)
    assert summary.counts == {
        "created": {"track": 1, "stage": 1, "exercise": 2},
        "updated": {"exercise": 1},
        "new version": {"exercise": 1},
        "retired": {"exercise": 1},
        "removed": {"stage": 1},
    }
    assert summary.other_lines == 1 and not summary.no_changes
    assert summarise_sync(CurriculumSync(ok=True, report="no changes")).no_changes
    failed = summarise_sync(CurriculumSync(ok=False, report="a.ipynb: bad\nb.yaml: worse"))
    assert not failed.ok and failed.problems == 2


def test_curriculum_page_shows_the_sync_in_indonesian_with_the_log_folded(app, client, auth, make_user, tmp_path, monkeypatch):
    """Does the page sum the sync up in Indonesian and keep the English log inside a closed <details>?"""
    import tic_academy.admin.curriculum as page

    valid_tree(tmp_path)
    monkeypatch.setattr(page, "BASE_DIR", tmp_path)
    auth.login(make_user(role="admin"))
    html = client.post("/admin/kurikulum/sinkron", follow_redirects=True).get_data(as_text=True)
    summary = html[html.index('id="sync-summary"'):html.index("<details")]
    assert "Baru" in summary and "Latihan" in summary and "created" not in summary
    details = html[html.index("<details"):html.index("</details>")]
    assert "<details class=\"mb-2\">" in details and "exercise tambah: created" in details
    html = client.post("/admin/kurikulum/sinkron", follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada perubahan" in html


def test_failed_sync_counts_its_problems(app, client, auth, make_user):
    """Does a failed sync say how many problems were found, with the log open?"""
    db.session.add(CurriculumSync(ok=False, report="a.ipynb: bad\nb.yaml: worse"))
    db.session.commit()
    auth.login(make_user(role="admin"))
    html = client.get("/admin/kurikulum").get_data(as_text=True)
    assert "2 masalah ditemukan" in html and "<details class=\"mb-2\" open>" in html
