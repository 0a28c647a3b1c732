"""One vocabulary in the Indonesian catalogue: each idea has one word (glossary in docs/contributing.md)."""
import re

from babel.messages.pofile import read_po

from .test_i18n import CATALOGUE

#: (forbidden Indonesian word, English msgids or contexts it is checked in (None: all), allowed in those
#: matching this (None: nowhere), the word to use instead and why).
FORBIDDEN = [
    (r"\btes\b", None, None, "a test is 'uji' everywhere (Tes and Uji were mixed on one page)"),
    (r"\bkecepatan\b", None, None, "how fast a trainee moves through the plan is 'laju belajar', not 'kecepatan'"),
    (r"\b(ke)?lulus(an)?\b", None, r"(?i)graduat",
     "'lulus' is kept for graduating from the program; a stage is 'lolos', an exercise 'tuntas', a test 'berhasil'"),
    (r"\blolos\b", r"(?i)\btests?\b", None, "a test that passes is 'berhasil'; 'lolos' is kept for stages"),
    (r"\bnilai\b", r"(?i)\bscores?\b", None, "a score is 'skor' ('Nilai otomatis' and 'Skor terbaik' were mixed)"),
    (r"\bterkunci\b", r"(?i)\buntil\b|log-?ins?\b|\baccount\b|\bpassword\b", None,
     "log-ins after failed attempts are 'dijeda' (until HH:MM WIB); 'terkunci' is kept for stages and cells"),
]


def translations() -> list[tuple[str, str, str]]:
    """(context, English msgid, Indonesian text) of every live entry, plural forms joined."""
    with CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    rows = []
    for message in catalogue:
        if not message.id:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        text = " ".join(message.string) if isinstance(message.string, tuple) else message.string
        rows.append((message.context or "", english, text))
    return rows


def offending(rows: list[tuple[str, str, str]]) -> list[str]:
    """The entries that use a forbidden word outside the place it is allowed, with the reason."""
    found = []
    for context, english, text in rows:
        about = f"{context} {english}"
        for word, checked_in, allowed_in, reason in FORBIDDEN:
            if not re.search(word, text, re.IGNORECASE):
                continue
            if checked_in and not re.search(checked_in, about):
                continue
            if allowed_in and re.search(allowed_in, about):
                continue
            found.append(f"{english!r} -> {text!r}: {reason}")
    return found


def test_catalogue_keeps_one_vocabulary():
    """Does the Indonesian catalogue avoid every forbidden synonym (uji not tes, one word per meaning of pass)?"""
    problems = offending(translations())
    assert problems == [], "\n".join(problems)


def test_vocabulary_check_can_fail():
    """Would the check catch the mixes the issue found (Tes, Kecepatan belajar, a stage or exercise 'Lulus', Nilai, a log-in 'terkunci')?"""
    rows = [("", "Test results", "Hasil tes"), ("", "Your pace", "Kecepatan belajar Anda"),
            ("exercise", "Passed", "Lulus"), ("", "All stages passed", "Semua tahap lulus"),
            ("test", "passed", "lolos"), ("", "Graduated", "Lulus"), ("stage", "Passed", "Lolos"),
            ("", "Automatic score: %(score)s", "Nilai otomatis: %(score)s"), ("", "A value", "Nilai"),
            ("", "locked until %(time)s", "terkunci sampai %(time)s"), ("", "Locked", "Terkunci")]
    assert len(offending(rows)) == 7
