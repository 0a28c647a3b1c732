"""One request parses an exercise notebook at most once, and later requests not at all (services.notebooks)."""
import nbformat
import pytest

BASE = "/peserta/api/latihan/tambah"


@pytest.fixture
def parses(monkeypatch):
    """A list that grows by one each time a notebook is parsed from its JSON text."""
    calls = []
    real = nbformat.reads

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(nbformat, "reads", counting)
    return calls


def test_one_run_click_parses_the_notebook_once(client, trainee, fake_runner, parses):
    """Does Run (cell check, answers check, job) parse the notebook once, not twice?"""
    assert client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": 2}).status_code == 200
    assert len(parses) == 1


def test_check_parses_the_notebook_once(client, trainee, fake_runner, parses):
    """Does Periksa parse the notebook once?"""
    assert client.post(f"{BASE}/periksa", json={"answers": {}}).status_code == 200
    assert len(parses) == 1


def test_opening_the_workspace_parses_the_notebook_once(client, trainee, parses):
    """Does the workspace page parse the notebook once?"""
    assert client.get("/peserta/latihan/tambah").status_code == 200
    assert len(parses) == 1


def test_later_requests_reuse_the_parsed_notebook(client, trainee, fake_runner, parses):
    """After the first request, do workspace, Run, Periksa, autosave and download parse nothing again?"""
    assert client.get("/peserta/latihan/tambah").status_code == 200
    assert client.post(f"{BASE}/jalankan", json={"answers": {}, "run_until": 2}).status_code == 200
    assert client.post(f"{BASE}/periksa", json={"answers": {}}).status_code == 200
    assert client.post(f"{BASE}/draf", json={"answers": {"jawaban": "x = 1"}, "revision": 0}).status_code == 200
    assert client.get("/peserta/latihan/tambah/unduh").status_code == 200
    assert len(parses) == 1
