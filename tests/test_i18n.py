"""Language: Indonesian by default, English on request, a complete catalogue."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tic_academy.extensions import db

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tic_academy/translations/id/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "pgettext": ((1, "c"), 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def key(message_id, context) -> str:
    """A message's key: its msgid, prefixed by "context|" when it has a context (pgettext)."""
    text = message_id[0] if isinstance(message_id, tuple) else message_id
    return f"{context}|{text}" if context else text


def source_messages() -> set[str]:
    """Every translatable string in the code and templates."""
    found = set()
    for _, _, message, _, context in extract_from_dir(
        str(ROOT / "tic_academy"), METHODS, keywords=KEYWORDS
    ):
        found.add(key(message, context))
    return found


def test_indonesian_catalogue_is_complete():
    """Is every translatable string in the code translated in the Indonesian catalogue?"""
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    translated = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        if text:
            translated.add(key(message.id, message.context))
    missing = sorted(source_messages() - translated)
    assert missing == [], f"{len(missing)} strings missing from {CATALOGUE.name}: {missing[:10]}"


def test_catalogue_check_finds_something():
    """Does the extraction find the strings it must check (so the test above can fail)?"""
    messages = source_messages()
    assert "Log in" in messages and len(messages) > 100


def test_indonesian_is_the_default(client):
    """Is the login page in Indonesian for a first-time visitor?"""
    html = client.get("/masuk").get_data(as_text=True)
    assert "Masuk ke TIC Academy" in html
    assert 'lang="id"' in html


def test_language_switch_is_remembered_per_user(client, auth, make_user):
    """Does a user's language choice stick to their account across sessions?"""
    user = make_user()
    auth.login(user)
    client.post("/bahasa", data={"locale": "en", "next": "/peserta/"})
    assert "Welcome" in client.get("/peserta/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "en"
    auth.logout()
    client.post("/bahasa", data={"locale": "id"})
    auth.login(user)
    assert "Welcome" in client.get("/peserta/").get_data(as_text=True)


def test_anonymous_language_switch(client):
    """Can a visitor switch the login page to English?"""
    response = client.post("/bahasa", data={"locale": "en", "next": "/masuk"})
    assert response.headers["Location"] == "/masuk"
    assert "Log in to TIC Academy" in client.get("/masuk").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    """Is an unsupported language code ignored?"""
    client.post("/bahasa", data={"locale": "fr"})
    assert "Masuk ke TIC Academy" in client.get("/masuk").get_data(as_text=True)
