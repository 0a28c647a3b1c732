"""The discussion pages' old addresses under /mentor/...: permanent redirects to the discussion blueprint.

Bookmarks, emails already sent and notifications already stored still point here. A 308 keeps the
method and body, so an old form that posts here still works; the new page checks who may see it.
"""
from flask import redirect, request, url_for

from .blueprint import bp

#: (old rule under /mentor, the endpoint it moved to, methods)
MOVED = [
    ("/umpan-balik/<int:submission_id>", "discussion.feedback", ["GET"]),
    ("/umpan-balik/<int:submission_id>/pesan", "discussion.post_message", ["POST"]),
    ("/bantuan", "discussion.ask_help", ["POST"]),
    ("/bantuan/<int:item_id>", "discussion.help_request", ["GET"]),
    ("/bantuan/<int:item_id>/pesan", "discussion.help_reply", ["POST"]),
    ("/notifikasi", "discussion.notifications_page", ["GET"]),
    ("/notifikasi/<int:notification_id>", "discussion.notification_open", ["GET"]),
    ("/notifikasi/baca-semua", "discussion.notifications_read_all", ["POST"]),
]


def _redirect_to(endpoint: str):
    """A view that sends the request on to ``endpoint`` with the same values and query string."""
    def moved(**values):
        target = url_for(endpoint, **values)
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        return redirect(target, code=308)
    return moved


for _rule, _endpoint, _methods in MOVED:
    bp.add_url_rule(_rule, "moved_" + _endpoint.split(".")[1], _redirect_to(_endpoint), methods=_methods)
