"""Trainee-safe rendering of markdown cells and cell outputs (no app needed beyond translations)."""
import base64

import pytest

from tic_academy.services.notebook_html import (
    ansi_to_html,
    render_markdown,
    render_output,
    render_outputs,
    sanitize_html,
)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20).decode()


@pytest.fixture(autouse=True)
def _context(app):
    """Rendering uses translated strings, so it needs the app."""


def test_markdown_drops_scripts_handlers_and_javascript_links():
    """Does markdown rendering remove scripts, event handlers, styles and javascript: links?"""
    html = str(render_markdown(
        'Halo <script>alert(1)</script> <b onclick="x()">tebal</b> <style>p{}</style>'
        '[tautan](javascript:alert(1)) <a href="javascript:alert(2)">a</a> <iframe src="https://contoh.test"></iframe>',
        raw_html=True,
    ))
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "onclick" not in html and "<style" not in html and "<iframe" not in html
    assert 'href="javascript' not in html and "alert(2)" not in html
    assert "<b>tebal</b>" in html


def test_markdown_tables_and_headings():
    """Are markdown tables kept and headings moved below the page's h1?"""
    html = str(render_markdown("# Judul\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h2>Judul</h2>" in html and "<table>" in html and "<td>1</td>" in html


def test_comments_and_notebooks_share_one_renderer_and_sanitiser():
    """Does a comment render markdown exactly as a notebook cell does (tables, headings, links), keeping typed HTML as text?"""
    text = "# Catatan\n\n| kolom | nilai |\n|---|---|\n| a | ~~1~~ |\n\nLihat [dokumen](https://contoh.test/a)."
    comment = str(render_markdown(text))
    assert comment == str(render_markdown(text, raw_html=True))
    assert "<h2>Catatan</h2>" in comment and "<td>a</td>" in comment and "<s>1</s>" in comment
    typed = str(render_markdown("Ganti <nama> dengan nama Anda, <b>jangan</b> dihapus."))
    assert "&lt;nama&gt;" in typed and "&lt;b&gt;jangan&lt;/b&gt;" in typed


def test_html_output_keeps_tables_but_not_scripts_or_styles():
    """Is an HTML output (e.g. a pandas table) kept as a table without scripts, styles or classes?"""
    html = str(sanitize_html('<style scoped>td{}</style><table class="dataframe" border="1"><tr><th>x</th></tr>'
                             '<tr><td onmouseover="alert(1)">1</td></tr></table><script>alert(2)</script>'))
    assert "<table>" in html and "<th>x</th>" in html and "<td>1</td>" in html
    assert "script" not in html and "style" not in html and "onmouseover" not in html and "class=" not in html


def test_stream_with_markup_is_escaped():
    """Is a printed <script> shown as text, never as markup?"""
    html = render_output({"output_type": "stream", "name": "stdout", "text": "<script>alert(1)</script>\n"})
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ansi_colours_become_classes_and_no_escape_characters_remain():
    """Are ANSI colour codes turned into classes and every escape character removed?"""
    html = ansi_to_html("\x1b[0;31mValueError\x1b[0m: buruk \x1b[1;32mok\x1b[0m \x1b[2K\x1b]0;judul\x07selesai")
    assert "\x1b" not in html
    assert '<span class="ansi-fg-red">ValueError</span>' in html
    assert '<span class="ansi-bold ansi-fg-green">ok</span>' in html
    assert "selesai" in html and "judul" not in html


def test_error_output_with_traceback_is_rendered_without_escapes():
    """Is an error's ANSI-coloured traceback rendered readable, without raw escapes?"""
    html = render_output({"output_type": "error", "ename": "NameError", "evalue": "x",
                          "traceback": ["\x1b[0;31mNameError\x1b[0m: name 'x' is not defined"]})
    assert "\x1b" not in html and "NameError" in html and "nb-error" in html


def test_png_becomes_a_data_uri_and_other_data_does_not():
    """Is a PNG shown as a data: image, and non-PNG data under image/png ignored (falling back to text)?"""
    html = render_output({"output_type": "display_data", "data": {"image/png": PNG, "text/plain": "<Figure>"}})
    assert f'src="data:image/png;base64,{PNG}"' in html
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    html = render_output({"output_type": "display_data", "data": {"image/png": fake, "text/plain": "<Figure>"}})
    assert "<img" not in html and "&lt;Figure&gt;" in html
    html = render_output({"output_type": "display_data", "data": {"image/png": '" onerror="alert(1)'}})
    assert "onerror" not in html


def test_long_output_collapses():
    """Does a long output show its first lines and fold the rest behind a <details>?"""
    text = "\n".join(f"baris {n}" for n in range(200))
    html = render_output({"output_type": "stream", "name": "stdout", "text": text})
    head, folded = html.split("<details", 1)
    assert "baris 0" in head and "baris 19" in head and "baris 150" not in head
    assert "baris 150" in folded and "<summary>" in folded


def test_unknown_or_malformed_outputs_render_nothing():
    """Are outputs of unknown shape dropped rather than crashing the page?"""
    assert str(render_outputs([{"output_type": "mystery"}, "bukan dict", {"output_type": "execute_result", "data": 5}])) == ""
    assert str(render_outputs(None)) == ""
