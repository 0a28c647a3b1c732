"""grading messages as codes with parameters

Stored grading messages were Indonesian text; they become {"code", "params"} (tic_academy/grading/messages.py),
worded in the reader's language when shown. test_result.message and submission.error become JSON;
submission.notes, the integrity flags' details (submission.flags) and the messages inside
submission.feedback are converted in place. Known old texts
are matched back to their codes (the table below: this migration imports no app code, so it keeps working
when the app changes); any other text becomes {"code": "legacy", "params": {"text": ...}} and is shown as is.
Downgrade writes the Indonesian text back.

Revision ID: 7c3d9e1f2a64
Revises: 5a1c2e7d9b40
Create Date: 2026-12-01 10:40:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3d9e1f2a64'
down_revision = '5a1c2e7d9b40'
branch_labels = None
depends_on = None

#: The words of a handle_misuse action in the old messages.
HANDLE_ACTIONS = {
    "eq": "membandingkan (==)", "ne": "membandingkan (!=)", "order": "membandingkan (<, >)",
    "bool": "menguji benar/salah (bool)", "len": "menghitung panjang (len)", "iter": "mengulang (for/iter)",
    "contains": "memeriksa keanggotaan (in)", "str": "mengubah menjadi teks (str)", "format": "memformat",
    "hash": "menghitung hash", "arithmetic": "menghitung dengan", "number": "mengubah menjadi angka",
}
_ACTION_CODES = {text: code for code, text in HANDLE_ACTIONS.items()}

#: (code, old Indonesian text as a regular expression with named groups = parameters, text to write back).
#: Tried in order; the first full match wins. The write-back text of an error message includes the old
#: "Name: " prefix that scoring used to put in front of an error's text.
OLD_TEXTS = [
    ("test_not_run", r"Sel tes tidak dijalankan\.", "Sel tes tidak dijalankan."),
    ("test_failed", r"Tes gagal\.", "Tes gagal."),
    ("hidden_redacted", r"\[pesan disembunyikan karena memuat isi tes tersembunyi\]",
     "[pesan disembunyikan karena memuat isi tes tersembunyi]"),
    ("timeout_cell", r"Batas waktu per sel terlampaui; kernel dihentikan\.",
     "Batas waktu per sel terlampaui; kernel dihentikan."),
    ("timeout_total", r"Batas waktu total terlampaui; kernel dihentikan\.",
     "Batas waktu total terlampaui; kernel dihentikan."),
    ("grading_timeout", r"Penilaian tidak selesai dalam batas waktu; kernel dihentikan\.",
     "Penilaian tidak selesai dalam batas waktu; kernel dihentikan."),
    ("kernel_no_reply", r"Kernel tidak menjawab\.", "Kernel tidak menjawab."),
    ("kernel_memory", r"Kernel dihentikan: batas memori total sandbox terlampaui\.",
     "Kernel dihentikan: batas memori total sandbox terlampaui."),
    ("kernel_cpu", r"Kernel dihentikan: batas waktu CPU terlampaui\.", "Kernel dihentikan: batas waktu CPU terlampaui."),
    ("kernel_killed", r"Kernel dihentikan paksa \(batas CPU atau memori terlampaui\)\.",
     "Kernel dihentikan paksa (batas CPU atau memori terlampaui)."),
    ("kernel_file_size", r"Kernel dihentikan: batas ukuran berkas terlampaui\.",
     "Kernel dihentikan: batas ukuran berkas terlampaui."),
    ("kernel_signal", r"Kernel dihentikan oleh sinyal (?P<signal>\d+)\.", "Kernel dihentikan oleh sinyal {signal}."),
    ("kernel_exit", r"Kernel berhenti dengan kode keluar (?P<exit_code>-?\d+) \(mis\. os\._exit\)\.",
     "Kernel berhenti dengan kode keluar {exit_code} (mis. os._exit)."),
    ("kernel_unknown", r"Kernel berhenti tanpa sebab yang diketahui\.", "Kernel berhenti tanpa sebab yang diketahui."),
    ("harness_died", r"Proses penguji berhenti\.", "Proses penguji berhenti."),
    ("output_too_large",
     r"OutputTooLarge: Keluaran terlalu besar: satu pesan dari kernel melebihi (?P<kib>\d+) KiB dan dibuang\.",
     "OutputTooLarge: Keluaran terlalu besar: satu pesan dari kernel melebihi {kib} KiB dan dibuang."),
    ("setup_error", r"SetupError: galat saat menyiapkan uji: (?P<ename>\w+): (?P<evalue>.*)",
     "SetupError: galat saat menyiapkan uji: {ename}: {evalue}"),
    ("handle_misuse",
     r"HandleMisuse: uji tidak dapat (?P<action>.+?) objek (?P<type>\S+) buatan kode peserta; "
     r"kembalikan data biasa \(angka, teks, list, dict, \.\.\.\)",
     "HandleMisuse: uji tidak dapat {action} objek {type} buatan kode peserta; "
     "kembalikan data biasa (angka, teks, list, dict, ...)"),
    ("handle_send", r"HandleMisuse: uji tidak dapat mengirim objek (?P<type>\S+) ke kode peserta",
     "HandleMisuse: uji tidak dapat mengirim objek {type} ke kode peserta"),
    ("tests_miss_bug", r"Tes Anda tetap lolos pada implementasi yang salah \((?P<label>.*)\)\. Tambahkan kasus uji\.",
     "Tes Anda tetap lolos pada implementasi yang salah ({label}). Tambahkan kasus uji."),
    ("compare", r"(?:(?P<note>.*)\n)?Hasil kode Anda: (?P<left>.*) · diharapkan "
                r"\((?P<op>==|!=|<=|>=|<|>|is not|is|not in|in)\): (?P<right>.*)",
     "{note_line}Hasil kode Anda: {left} · diharapkan ({op}): {right}"),
    ("trainee_undefined", r"AttributeError: kode peserta tidak mendefinisikan '(?P<name>\w+)'",
     "AttributeError: kode peserta tidak mendefinisikan '{name}'"),
    ("trainee_module", r"TraineeBridgeError: modul '(?P<name>.+)' milik kode peserta tidak dapat dipakai oleh uji",
     "TraineeBridgeError: modul '{name}' milik kode peserta tidak dapat dipakai oleh uji"),
    ("trainee_bad_value", r"TraineeBridgeError: nilai dari kode peserta tidak dapat dibaca: (?P<detail>.*)",
     "TraineeBridgeError: nilai dari kode peserta tidak dapat dibaca: {detail}"),
    ("trainee_bad_answer",
     r"TraineeBridgeError: (?:proses peserta tidak menjawab dengan benar|pesan terlalu besar"
     r"|jawaban tak terduga dari orkestrator)",
     "TraineeBridgeError: proses peserta tidak menjawab dengan benar"),
    ("trainee_no_answer", r"RuntimeError: Proses peserta tidak menjawab penguji dengan benar\.",
     "RuntimeError: Proses peserta tidak menjawab penguji dengan benar."),
    ("unknown_cell", r"Jawaban untuk sel '(?P<cell>.+)' yang tidak dikenal diabaikan\.",
     "Jawaban untuk sel '{cell}' yang tidak dikenal diabaikan."),
    ("locked_edit_ignored", r"Perubahan pada sel terkunci/tes '(?P<cell>.+)' diabaikan; dipakai versi asli\.",
     "Perubahan pada sel terkunci/tes '{cell}' diabaikan; dipakai versi asli."),
    ("duplicate_answer", r"Sel jawaban '(?P<cell>.+)' muncul lebih dari sekali; yang pertama dipakai\.",
     "Sel jawaban '{cell}' muncul lebih dari sekali; yang pertama dipakai."),
    ("import_not_allowed",
     r"Sel '(?P<cell>.+?)' baris (?P<line>\d+): impor '(?P<name>.+?)' tidak diizinkan untuk latihan ini\. "
     r"Modul yang diizinkan: (?P<allowed>.*)\.",
     "Sel '{cell}' baris {line}: impor '{name}' tidak diizinkan untuk latihan ini. Modul yang diizinkan: {allowed}."),
    ("magic_not_allowed",
     r"Sel '(?P<cell>.+?)' baris (?P<line>\d+): perintah magic/shell \(% atau !\) tidak diizinkan untuk latihan ini\.",
     "Sel '{cell}' baris {line}: perintah magic/shell (% atau !) tidak diizinkan untuk latihan ini."),
]
_PATTERNS = [(code, re.compile(pattern, re.DOTALL)) for code, pattern, _back in OLD_TEXTS]
_BACK = {code: back for code, _pattern, back in OLD_TEXTS}
_INTEGER_PARAMS = {"signal", "exit_code", "kib", "line"}
#: An error of the trainee's code as scoring wrote it: "ZeroDivisionError: division by zero".
_EXCEPTION = re.compile(r"(?P<ename>[A-Za-z_][\w.]*)(?:: (?P<evalue>.*))?", re.DOTALL)


#: The same for the detail of an integrity flag (submission.flags[].message). A detail that named only
#: what a flagged name does ("memeriksa frame pemanggil") becomes legacy text.
OLD_FLAG_TEXTS = [
    ("flag_import", r"impor (?P<name>\S+): .*", "impor {name}"),
    ("flag_text", r"teks '(?P<name>\w+)': .*", "teks '{name}'"),
    ("flag_indirect", r"(?P<name>\w+) dipakai tidak langsung", "{name} dipakai tidak langsung"),
    ("flag_dynamic_name", r"nama atribut dibuat saat program berjalan \((?P<function>\w+)\)",
     "nama atribut dibuat saat program berjalan ({function})"),
    ("flag_module_dict", r"membaca isi modul (?P<module>\S+) lewat __dict__", "membaca isi modul {module} lewat __dict__"),
    ("flag_future", r"mengubah cara Python membaca sel berikutnya \(__future__ (?P<feature>\w+)\)",
     "mengubah cara Python membaca sel berikutnya (__future__ {feature})"),
    ("flag_shell", r"perintah shell IPython \(!\): menjalankan program di luar pemeriksaan",
     "perintah shell IPython (!): menjalankan program di luar pemeriksaan"),
    ("flag_magic_unsafe", r"perintah magic IPython (?P<magic>\S+): tidak dapat diperiksa",
     "perintah magic IPython {magic}: tidak dapat diperiksa"),
    ("flag_magic", r"perintah magic IPython (?P<magic>\S+)", "perintah magic IPython {magic}"),
    ("flag_magic_too_deep", r"sel tidak dapat diperiksa \(magic di dalam magic terlalu dalam\); skor ditahan untuk mentor",
     "sel tidak dapat diperiksa (magic di dalam magic terlalu dalam); skor ditahan untuk mentor"),
    ("flag_magic_unreadable", r"sel tidak dapat diperiksa \(kode di dalam magic tidak terbaca\); skor ditahan untuk mentor",
     "sel tidak dapat diperiksa (kode di dalam magic tidak terbaca); skor ditahan untuk mentor"),
    ("flag_unchecked", r"sel tidak dapat diperiksa \((?P<reason>.*)\); skor ditahan untuk mentor",
     "sel tidak dapat diperiksa ({reason}); skor ditahan untuk mentor"),
    ("flag_name", r"(?!)", "{name}"),  # never matched: the old text did not name what was found
]
_FLAG_PATTERNS = [(code, re.compile(pattern, re.DOTALL)) for code, pattern, _back in OLD_FLAG_TEXTS]
_BACK.update({code: back for code, _pattern, back in OLD_FLAG_TEXTS})
_INSIDE = re.compile(r"di dalam (?P<inside>%\S+): (?P<rest>.*)", re.DOTALL)


def flag_to_message(text):
    """One old flag detail as a message ("di dalam %magic: ..." keeps the innermost magic)."""
    if not isinstance(text, str):
        return text
    inside = None
    while (match := _INSIDE.fullmatch(text)) is not None:
        inside, text = match["inside"], match["rest"]
    converted = {"code": "legacy", "params": {"text": text}}
    for code, pattern in _FLAG_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            converted = {"code": code, "params": {k: v for k, v in match.groupdict().items() if v is not None}}
            break
    if inside:
        converted["params"]["inside"] = inside
    return converted


def flag_to_text(message) -> str:
    """One flag message back as the old Indonesian detail."""
    if not isinstance(message, dict):
        return message or ""
    params = dict(message.get("params") or {})
    inside = params.pop("inside", None)
    text = to_text({"code": message.get("code"), "params": params})
    return f"di dalam {inside}: {text}" if inside else text


def _flags(flags, convert):
    """Convert the detail of every flag in a list of flag dicts."""
    return [{**flag, "message": convert(flag.get("message"))} if isinstance(flag, dict) else flag
            for flag in flags or []]


def _params(code: str, match) -> dict:
    """The parameters of a matched old text, numbers as numbers."""
    params = {name: value for name, value in match.groupdict().items() if value is not None}
    for name in _INTEGER_PARAMS & set(params):
        params[name] = int(params[name])
    if code == "handle_misuse":
        params["action"] = _ACTION_CODES.get(params["action"], params["action"])
    if code == "import_not_allowed" and params.get("allowed") == "(tidak ada)":
        params["allowed"] = ""
    return params


def to_message(text, status=None, kind="test"):
    """One old stored text as a message. kind: test (a test's message), note, or error (submission.error)."""
    if text is None or isinstance(text, dict):
        return text  # nothing stored, or already a message
    if text == "":
        return None
    for code, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return {"code": code, "params": _params(code, match)}
    if kind == "test" and status == "failed":
        return {"code": "author", "params": {"text": text}}  # an assert's own message
    if kind == "test" and status == "error":
        match = _EXCEPTION.fullmatch(text)
        if match:
            return {"code": "exception", "params": {"ename": match["ename"], "evalue": match["evalue"] or ""}}
    if kind == "error" and _EXCEPTION.fullmatch(text) and ": " in text:
        return {"code": "grading_failed", "params": {"error": text}}  # services' _fail("Name: text")
    return {"code": "legacy", "params": {"text": text}}


def to_text(message) -> str:
    """One message back as the Indonesian text stored before codes (for downgrade)."""
    if not message:
        return ""
    if isinstance(message, str):
        return message
    code, params = message.get("code"), dict(message.get("params") or {})
    if code in ("author", "legacy"):
        return str(params.get("text", ""))
    if code == "exception":
        return f"{params.get('ename', '')}: {params['evalue']}" if params.get("evalue") else str(params.get("ename", ""))
    if code == "grading_failed":
        return str(params.get("error", ""))
    if code == "handle_misuse":
        params["action"] = HANDLE_ACTIONS.get(params.get("action"), params.get("action"))
    if code == "import_not_allowed" and not params.get("allowed"):
        params["allowed"] = "(tidak ada)"
    if code == "compare":
        params["note_line"] = f"{params['note']}\n" if params.get("note") else ""
    back = _BACK.get(code)
    if back is None:
        return code or ""
    try:
        return back.format(**params)
    except (KeyError, IndexError):
        return back


def _tables(stored):
    """The two tables as this migration reads them; ``stored`` is the type of message/error now (Text or JSON)."""
    test_result = sa.table(
        "test_result",
        sa.column("id", sa.Integer), sa.column("status", sa.String), sa.column("grade_id", sa.String),
        sa.column("hint", sa.JSON), sa.column("message", stored), sa.column("message_new", sa.JSON),
        sa.column("message_old", sa.Text),
    )
    submission = sa.table(
        "submission",
        sa.column("id", sa.Integer), sa.column("notes", sa.JSON), sa.column("feedback", sa.JSON),
        sa.column("flags", sa.JSON), sa.column("error", stored), sa.column("error_new", sa.JSON),
        sa.column("error_old", sa.Text),
    )
    return test_result, submission


def _json(value):
    """A value for a JSON column: SQL NULL for None (not the JSON text 'null')."""
    return sa.null() if value is None else value


def _test_message(row_message, status, grade_id, hint):
    """A test result's old message as a message; a failed rule keeps both languages of its text."""
    converted = to_message(row_message, status)
    rule_text = (hint or {}).get("message") if isinstance(hint, dict) else None
    if (converted or {}).get("code") == "author" and grade_id.startswith("rule:") and isinstance(rule_text, dict):
        if rule_text.get("en") and rule_text.get("id") == converted["params"]["text"]:
            converted["params"]["en"] = rule_text["en"]
    return converted


def _feedback_up(feedback):
    """Convert the messages inside a stored trainee-visible result."""
    if not isinstance(feedback, dict):
        return feedback
    feedback = dict(feedback)
    if "tests" in feedback:
        feedback["tests"] = [
            {**test, "message": _test_message(test.get("message"), test.get("status"), str(test.get("grade_id", "")),
                                              test.get("hint"))}
            if isinstance(test, dict) else test
            for test in feedback["tests"] or []
        ]
    if "notes" in feedback:
        feedback["notes"] = [to_message(note, kind="note") for note in feedback["notes"] or []]
    if "error" in feedback:
        feedback["error"] = to_message(feedback["error"], kind="error")
    if "flags" in feedback:
        feedback["flags"] = _flags(feedback["flags"], flag_to_message)
    return feedback


def _feedback_down(feedback):
    """Write the messages inside a stored trainee-visible result back as text."""
    if not isinstance(feedback, dict):
        return feedback
    feedback = dict(feedback)
    if "tests" in feedback:
        feedback["tests"] = [{**test, "message": to_text(test.get("message"))} if isinstance(test, dict) else test
                             for test in feedback["tests"] or []]
    if "notes" in feedback:
        feedback["notes"] = [to_text(note) for note in feedback["notes"] or []]
    if "error" in feedback:
        feedback["error"] = to_text(feedback["error"]) or None
    if "flags" in feedback:
        feedback["flags"] = _flags(feedback["flags"], flag_to_text)
    return feedback


def upgrade():
    bind = op.get_bind()
    test_result, submission = _tables(sa.Text)
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_new', sa.JSON(), nullable=True))
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_new', sa.JSON(), nullable=True))

    rows = bind.execute(sa.select(test_result.c.id, test_result.c.message, test_result.c.status,
                                  test_result.c.grade_id, test_result.c.hint)).all()
    for row in rows:
        converted = _test_message(row.message, row.status, row.grade_id or "", row.hint)
        if converted is not None:
            bind.execute(test_result.update().where(test_result.c.id == row.id).values(message_new=converted))
    rows = bind.execute(sa.select(submission.c.id, submission.c.notes, submission.c.feedback, submission.c.flags,
                                  submission.c.error)).all()
    for row in rows:
        bind.execute(submission.update().where(submission.c.id == row.id).values(
            notes=[to_message(note, kind="note") for note in row.notes or []],
            flags=_flags(row.flags, flag_to_message),
            feedback=_feedback_up(row.feedback),
            error_new=_json(to_message(row.error, kind="error")),
        ))

    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.drop_column('message')
        batch_op.alter_column('message_new', new_column_name='message', existing_type=sa.JSON(), existing_nullable=True)
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.alter_column('error_new', new_column_name='error', existing_type=sa.JSON(), existing_nullable=True)


def downgrade():
    bind = op.get_bind()
    test_result, submission = _tables(sa.JSON)
    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_old', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_old', sa.Text(), nullable=True))

    for row in bind.execute(sa.select(test_result.c.id, test_result.c.message)).all():
        bind.execute(test_result.update().where(test_result.c.id == row.id).values(message_old=to_text(row.message)))
    rows = bind.execute(sa.select(submission.c.id, submission.c.notes, submission.c.feedback, submission.c.flags,
                                  submission.c.error)).all()
    for row in rows:
        bind.execute(submission.update().where(submission.c.id == row.id).values(
            notes=[to_text(note) for note in row.notes or []],
            flags=_flags(row.flags, flag_to_text),
            feedback=_feedback_down(row.feedback),
            error_old=to_text(row.error) or None,
        ))

    with op.batch_alter_table('test_result', schema=None) as batch_op:
        batch_op.drop_column('message')
        batch_op.alter_column('message_old', new_column_name='message', existing_type=sa.Text(),
                              existing_nullable=False, server_default=None)
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.alter_column('error_old', new_column_name='error', existing_type=sa.Text(), existing_nullable=True)
