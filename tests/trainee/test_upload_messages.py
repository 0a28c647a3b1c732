"""Upload messages in plain Indonesian: no internal cell ids, no parser jargon."""
import nbformat

from tests.notebook_factory import nbgrader

BASE = "/peserta/api/latihan/tambah"


def upload(client, content: bytes):
    """Upload ``content`` as the exercise's notebook (draft revision 0)."""
    import io  # noqa: PLC0415 - only this helper builds a file
    return client.post(f"{BASE}/unggah", data={"notebook": (io.BytesIO(content), "latihan.ipynb"), "revision": "0"},
                       content_type="multipart/form-data")


def downloaded(client) -> nbformat.NotebookNode:
    """The exercise's notebook as the Download button gives it."""
    return nbformat.reads(client.get("/peserta/latihan/tambah/unduh").get_data(as_text=True), as_version=4)


def test_reupload_of_a_download_has_no_notes(client, trainee):
    """Does a normal re-upload of a downloaded notebook say nothing about "ignored" cells or their ids?"""
    response = upload(client, nbformat.writes(downloaded(client)).encode())
    assert response.status_code == 200
    assert response.json["notes"] == []


def test_foreign_and_missing_cells_are_counted_not_named(client, trainee):
    """Are cells from elsewhere and missing answer cells told as counts, without internal ids?"""
    nb = downloaded(client)
    nb.cells = [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") != "jawaban-dua"]
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata=nbgrader("sel-asing", solution=True)))
    notes = " ".join(upload(client, nbformat.writes(nb).encode()).json["notes"])
    assert "1 sel jawaban tidak ada di berkas" in notes and "1 sel di berkas bukan bagian dari latihan ini" in notes
    assert "sel-asing" not in notes and "jawaban-dua" not in notes


def test_broken_file_is_explained_without_parser_words(client, trainee):
    """Does a broken file get a plain explanation and what to do, not "Expecting value: line 1 column 1"?"""
    for content in (b"", b"{ini bukan json", b"[" * 100_000):
        error = upload(client, content).json["error"]
        assert "Expecting" not in error and "column" not in error and "JSON" not in error
        assert "tidak bisa dibaca sebagai notebook" in error and "Tidak ada yang diubah" in error
