"""External links in sanitised notebook content and comments: safe attributes, visible target (issue 11)."""
import pytest

from tic_academy.services.notebook_html import render_markdown, render_output

REL = 'rel="noopener noreferrer nofollow"'


@pytest.fixture(autouse=True)
def _context(app):
    """Rendering uses translated strings, so it needs the app."""


def html_output(html: str) -> str:
    """An HTML display output as a trainee's code could produce it."""
    return render_output({"output_type": "display_data", "data": {"text/html": html}})


def test_markdown_link_shows_its_host_and_gets_nofollow():
    """Does a disguised markdown link show the host it really leads to, with rel noopener noreferrer nofollow?"""
    html = str(render_markdown("[Portal resmi kota](https://evil.test/masuk)"))
    assert REL in html
    assert '<span class="link-target">(evil.test)</span>' in html


def test_html_output_link_shows_the_real_host_not_the_text():
    """Does a link whose text names another site, with user info and a port, show its real host?"""
    html = html_output('<a href="https://tangselkota.go.id@evil.test:8080/x">tangselkota.go.id</a>')
    assert REL in html and "(evil.test)" in html


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "data:text/html,hai",
    "vbscript:x", "//evil.test/x", "/\\evil.test", "\\\\evil.test", "https:evil.test",
])
def test_unsafe_or_disguised_external_links_lose_their_href(href):
    """Do unsafe schemes and links that only look relative never survive as a link?"""
    for html in (html_output(f'<a href="{href}">klik</a>'), str(render_markdown(f'<a href="{href}">klik</a>', raw_html=True))):
        assert "href" not in html and "klik" in html


def test_site_paths_anchors_and_mail_links_stay():
    """Are links within the site and #anchors kept (no host shown), and mail links show the address?"""
    html = html_output('<a href="/peserta/kurikulum">kurikulum</a> <a href="#bagian-2">bagian 2</a>'
                       ' <a href="mailto:mentor@tic.test">mentor</a>')
    assert 'href="/peserta/kurikulum"' in html and 'href="#bagian-2"' in html
    assert html.count("link-target") == 1 and "(mentor@tic.test)" in html


def test_link_whose_text_is_its_address_is_not_repeated():
    """Is the host left out when the link text is already the address?"""
    html = str(render_markdown("<https://docs.python.org/3/>"))
    assert "link-target" not in html and REL in html


def test_comment_links_get_the_same_treatment():
    """Do mentor/trainee comments (raw HTML off) show the host and drop disguised links?"""
    html = str(render_markdown("[dokumen](https://evil.test/a) dan [lain](//evil.test/b)"))
    assert REL in html and "(evil.test)" in html
    assert 'href="//evil.test' not in html
