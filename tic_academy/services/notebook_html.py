"""Safe HTML for notebook content, cell outputs and comments: the one markdown renderer and the one sanitiser.

Everything that comes from a notebook, from trainee code or from a person's
comment is untrusted. It is either escaped (text) or sanitised with nh3
(markdown and HTML outputs), so a ``<script>`` printed by a notebook is shown as
text or dropped, never run. The page's Content-Security-Policy forbids inline
scripts as a second wall.
"""
from __future__ import annotations

import base64
import binascii
import re
from html import escape, unescape
from urllib.parse import urlsplit

import nh3
from flask_babel import gettext as _, ngettext
from markdown_it import MarkdownIt
from markupsafe import Markup

#: Outputs longer than this many lines show the first ones and fold the rest.
COLLAPSE_LINES = 30
#: Outputs longer than this many characters are folded too (one very long line).
COLLAPSE_CHARS = 6000
#: Lines shown before the fold.
PREVIEW_LINES = 20
#: PNG images larger than this (base64 characters) are not shown.
MAX_IMAGE_CHARS = 2 * 1024 * 1024

#: Tags allowed in rendered markdown and HTML outputs (nh3's safe default set).
ALLOWED_TAGS = set(nh3.ALLOWED_TAGS)
#: Attributes allowed per tag: table layout and links/images, nothing that styles or scripts.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "code": set(),
}
URL_SCHEMES = {"http", "https", "mailto"}
#: Every link opens without telling the target who sent the reader, and passes no ranking.
LINK_REL = "noopener noreferrer nofollow"

# One markdown dialect (CommonMark with tables and strikethrough) in two parsers that differ only in
# what raw HTML in the source means: markup in a notebook (Jupyter's rule), the typed text in a comment.
_markdown_with_html = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").enable("strikethrough")
_markdown_text_only = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")

# ANSI escape sequences: SGR colour codes are turned into classes, every other
# control sequence is removed.
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_OTHER_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]+$")
# nh3's output always quotes attributes with double quotes, so these simple patterns suffice.
_LINK = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def safe_href(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: a link may only be absolute (http, https, mailto), a site path or an #anchor.

    nh3 already drops ``javascript:`` and other schemes; this also drops links that
    look relative but leave the site, such as ``//evil.test`` or ``/\\evil.test``.
    """
    if tag != "a" or attribute != "href":
        return value
    if value.startswith("#"):
        return value
    if value.startswith("/"):
        site_path = not value.startswith("//") and "\\" not in value
        return value if site_path and not any(ord(ch) < 0x20 for ch in value) else None
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https"):
        return value if parts.hostname else None
    if parts.scheme.lower() == "mailto":
        return value
    return None


def link_target(href: str) -> str | None:
    """What a reader should see of where a link leads: the host, or the mail address; None on this site."""
    parts = urlsplit(href)
    if parts.scheme.lower() == "mailto":
        return parts.path
    if parts.scheme.lower() in ("http", "https"):
        return parts.hostname
    return None


def show_link_targets(html: str) -> str:
    """Write the target host after the text of every external link in sanitised HTML."""

    def with_target(match: re.Match) -> str:
        href = _HREF.search(match.group(1))
        target = link_target(unescape(href.group(1))) if href else None
        if not target:
            return match.group(0)
        text = unescape(_TAG.sub("", match.group(2))).strip()
        if text in (target, unescape(href.group(1))):
            return match.group(0)  # the text already says where the link goes
        return f'{match.group(0)} <span class="link-target">({escape(target)})</span>'

    return _LINK.sub(with_target, html)


def clean_html(html: str, tags: set[str], attributes: dict[str, set[str]]) -> Markup:
    """Sanitise HTML with nh3 (only ``tags`` and ``attributes`` survive) and show where links lead."""
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=safe_href,
    )
    return Markup(show_link_targets(cleaned))


def sanitize_html(html: str) -> Markup:
    """Return HTML with only safe tags and attributes left (scripts, styles, handlers removed)."""
    return clean_html(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)


def render_markdown(text: str, raw_html: bool = False) -> Markup:
    """Markdown as sanitised HTML (notebooks, outputs, comments, messages); headings move one level down below the page's h1.

    ``raw_html=True`` for notebook content, where HTML in markdown is markup (then sanitised);
    in what people type (comments, messages, questions) it stays text: "use <nama>" shows as written.
    """
    parser = _markdown_with_html if raw_html else _markdown_text_only
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return sanitize_html(parser.renderer.render(tokens, parser.options, {}))


def ansi_to_html(text: str) -> str:
    """Escape terminal text and turn ANSI colour codes into spans with classes (never raw escapes)."""
    text = _OTHER_ESCAPES.sub("", text.replace("\r\n", "\n"))
    parts: list[str] = []
    classes: list[str] = []
    position = 0
    for match in _SGR.finditer(text):
        parts.append(_span(text[position:match.start()], classes))
        classes = _apply_sgr(classes, match.group(1))
        position = match.end()
    parts.append(_span(text[position:], classes))
    return "".join(parts)


def _span(text: str, classes: list[str]) -> str:
    """One escaped run of text, wrapped in a span when it has colour classes."""
    text = escape(_CONTROL.sub("", text.replace("\x1b", "")), quote=False)
    if not text or not classes:
        return text
    return f'<span class="{" ".join(classes)}">{text}</span>'


def _apply_sgr(classes: list[str], params: str) -> list[str]:
    """The colour classes after one SGR sequence (only foreground colours and bold are kept)."""
    codes = [int(code) for code in params.split(";") if code.isdigit()] or [0]
    classes = list(classes)
    for code in codes:
        if code == 0:
            classes = []
        elif code == 1:
            classes.append("ansi-bold")
        elif 30 <= code <= 37 or 90 <= code <= 97:
            classes = [c for c in classes if not c.startswith("ansi-fg-")]
            classes.append(f"ansi-fg-{_COLOURS[code % 10]}")
        elif code == 39:
            classes = [c for c in classes if not c.startswith("ansi-fg-")]
    return sorted(set(classes))


def _text_block(text: str, css: str) -> str:
    """A <pre> block of terminal text; long text shows a preview and folds the rest."""
    lines = text.split("\n")
    if len(lines) <= COLLAPSE_LINES and len(text) <= COLLAPSE_CHARS:
        return f'<pre class="{css}">{ansi_to_html(text)}</pre>'
    cut = min(len("\n".join(lines[:PREVIEW_LINES])), COLLAPSE_CHARS)
    head, rest = text[:cut], text[cut:].lstrip("\n")
    rest_lines = rest.count("\n") + 1
    summary = ngettext("Show %(num)d more line", "Show %(num)d more lines", rest_lines)
    return (
        f'<pre class="{css}">{ansi_to_html(head)}</pre>'
        f'<details class="nb-more"><summary>{escape(summary)}</summary>'
        f'<pre class="{css}">{ansi_to_html(rest)}</pre></details>'
    )


def _joined(value) -> str:
    """Notebook text may be a string or a list of lines."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return "" if value is None else str(value)


def _png(data) -> str | None:
    """An <img> with a data: URI for base64 PNG data, or None when it is not plausible PNG data."""
    text = _joined(data).strip()
    if not text or len(text) > MAX_IMAGE_CHARS or not _BASE64.match(text):
        return None
    try:
        raw = base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(b"\x89PNG"):
        return None
    compact = "".join(text.split())
    alt = escape(_("Image output"))
    return f'<img class="nb-image" alt="{alt}" src="data:image/png;base64,{compact}">'


def _rich_output(data: dict) -> str:
    """The best safe representation of display data: PNG, sanitised HTML, markdown, then plain text."""
    if "image/png" in data:
        image = _png(data["image/png"])
        if image:
            return f'<div class="nb-display">{image}</div>'
    if "text/html" in data:
        return f'<div class="nb-display nb-html">{sanitize_html(_joined(data["text/html"]))}</div>'
    if "text/markdown" in data:
        return f'<div class="nb-display nb-markdown">{render_markdown(_joined(data["text/markdown"]), raw_html=True)}</div>'
    if "text/plain" in data:
        return _text_block(_joined(data["text/plain"]), "nb-result")
    return ""


def render_output(output: dict) -> str:
    """One notebook output (stream, result, display data or error) as safe HTML."""
    kind = output.get("output_type")
    if kind == "stream":
        css = "nb-stream nb-stderr" if output.get("name") == "stderr" else "nb-stream"
        return _text_block(_joined(output.get("text")), css)
    if kind in ("execute_result", "display_data"):
        data = output.get("data")
        return _rich_output(data) if isinstance(data, dict) else ""
    if kind == "error":
        traceback = output.get("traceback") or []
        if traceback:
            text = "\n".join(_joined(line) for line in traceback)
        else:
            text = f"{_joined(output.get('ename'))}: {_joined(output.get('evalue'))}"
        return _text_block(text, "nb-error")
    return ""


def render_outputs(outputs) -> Markup:
    """All outputs of one cell as safe HTML (empty when there are none)."""
    if not isinstance(outputs, list):
        return Markup("")
    return Markup("".join(render_output(out) for out in outputs if isinstance(out, dict)))


def render_result_cells(cells) -> list[dict]:
    """The ``cells`` of a grading result, each with its outputs rendered to safe HTML."""
    rendered = []
    for cell in cells or []:
        rendered.append({
            "index": cell.get("index"),
            "grade_id": cell.get("grade_id"),
            "kind": cell.get("kind"),
            "execution_count": cell.get("execution_count"),
            "html": str(render_outputs(cell.get("outputs"))),
        })
    return rendered
