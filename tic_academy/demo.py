"""``flask demo``: demo OPDs and accounts (safe to run again)."""
import zlib
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .clock import now_utc, today_wib
from .enums import Role
from .extensions import db
from .models import Cohort, Enrollment, Opd, Track, User
from .services.accounts import find_user, hash_password
from .services.settings import ServiceSettings

#: (code, full name, short name) of work units of the Tangerang Selatan city government.
TANGSEL_OPDS = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("DINKES", "Dinas Kesehatan", "Dinkes"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    ("DINDIKBUD", "Dinas Pendidikan dan Kebudayaan", "Dindikbud"),
    ("DLH", "Dinas Lingkungan Hidup", "DLH"),
    ("DISHUB", "Dinas Perhubungan", "Dishub"),
    ("DINSOS", "Dinas Sosial", "Dinsos"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("INSPEKTORAT", "Inspektorat Daerah", "Inspektorat"),
]

#: (email, full name, role, OPD code or None)
DEMO_ACCOUNTS = [
    ("admin@tic.test", "Admin Program TIC", Role.ADMIN, None),
    ("mentor1@tic.test", "Rizky Pratama", Role.MENTOR, None),
    ("mentor2@tic.test", "Dewi Lestari", Role.MENTOR, None),
    ("kepala.diskominfo@tic.test", "Hendra Wijaya", Role.OPD_HEAD, "DISKOMINFO"),
    ("kepala.bappeda@tic.test", "Siti Rahmawati", Role.OPD_HEAD, "BAPPEDA"),
    ("peserta1@tic.test", "Ahmad Fauzi", Role.TRAINEE, "DISKOMINFO"),
    ("peserta2@tic.test", "Nur Aini", Role.TRAINEE, "DISKOMINFO"),
    ("peserta3@tic.test", "Budi Santoso", Role.TRAINEE, "DISKOMINFO"),
    ("peserta4@tic.test", "Putri Maharani", Role.TRAINEE, "BAPPEDA"),
    ("peserta5@tic.test", "Yusuf Hidayat", Role.TRAINEE, "BAPPEDA"),
    ("peserta6@tic.test", "Rina Kartika", Role.TRAINEE, "BAPPEDA"),
]


def ensure_opds() -> dict[str, Opd]:
    """Create the city's OPDs that are missing; return them by code."""
    existing = {opd.code: opd for opd in db.session.scalars(select(Opd))}
    for code, name, short in TANGSEL_OPDS:
        if code not in existing:
            existing[code] = Opd(code=code, name=name, short_name=short)
            db.session.add(existing[code])
    db.session.flush()
    return existing


def ensure_demo_accounts(opds: dict[str, Opd], password: str) -> list[User]:
    """Create the demo accounts that are missing, all with ``password``."""
    password_hash = hash_password(password, ServiceSettings.from_config(current_app.config))
    users = []
    for email, name, role, opd_code in DEMO_ACCOUNTS:
        user = find_user(email)
        if user is None:
            user = User(email=email, full_name=name, role=role, opd=opds.get(opd_code))
            user.password_hash = password_hash
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


DEMO_TRACK = "programmer-pemerintahan"
DEMO_COHORT = "Angkatan Demo 2026"


def ensure_demo_cohort(users: list[User]) -> Cohort | None:
    """A running cohort that started two weeks ago, with every demo trainee enrolled.

    Trainees are spread over the two demo mentors. Needs the curriculum synced
    first (``flask curriculum sync``); without it there is no track to follow.
    """
    track = db.session.scalar(select(Track).where(Track.slug == DEMO_TRACK))
    if track is None:
        return None
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_COHORT))
    if cohort is None:
        cohort = Cohort(
            name=DEMO_COHORT,
            track=track,
            start_date=today_wib() - timedelta(days=14),
            capacity=30,
            status="running",
        )
        db.session.add(cohort)
        db.session.flush()
    mentors = [u for u in users if u.role == Role.MENTOR]
    trainees = [u for u in users if u.role == Role.TRAINEE]
    enrolled = set(db.session.scalars(select(Enrollment.trainee_id).where(Enrollment.cohort_id == cohort.id)))
    for n, trainee in enumerate(trainees):
        if trainee.id not in enrolled:
            db.session.add(Enrollment(cohort=cohort, trainee=trainee, mentor=mentors[n % len(mentors)]))
    return cohort


def create_demo_data() -> Cohort | None:
    """Create demo OPDs, accounts and a running cohort (safe to run again)."""
    opds = ensure_opds()
    users = ensure_demo_accounts(opds, current_app.config["DEMO_PASSWORD"])
    cohort = ensure_demo_cohort(users)
    ensure_demo_program(cohort, opds, users)
    db.session.commit()
    return cohort


DEMO_NEXT_COHORT = "Angkatan 2 2026"
#: (email, name, OPD code, status, reason) of nominations for the next (planned) cohort.
DEMO_NOMINATIONS = [
    ("calon.dewi@tic.test", "Dewi Anggraini", "DISKOMINFO", "draft", ""),
    ("calon.fajar@tic.test", "Fajar Nugroho", "DISKOMINFO", "submitted", ""),
    ("calon.sari@tic.test", "Sari Wulandari", "BAPPEDA", "waitlisted", "Kuota Bappeda sudah terisi; masuk daftar tunggu."),
    ("calon.agus@tic.test", "Agus Setiawan", "BAPPEDA", "rejected", "Belum bisa menyediakan waktu 15 jam per minggu."),
]


def ensure_demo_program(cohort: Cohort | None, opds: dict[str, Opd], users: list[User]) -> None:
    """Mentors and per-OPD quotas on the demo cohort, the demo trainees' nominations
    (enrolled), and a planned next cohort with nominations in several states."""
    from .models.program import CohortQuota, Nomination

    if cohort is None:
        return
    mentors = [u for u in users if u.role == Role.MENTOR]
    heads = {u.opd_id: u for u in users if u.role == Role.OPD_HEAD}
    if not cohort.mentors:
        cohort.mentors = mentors
    _ensure_quotas(cohort, {opds["DISKOMINFO"].id: 10, opds["BAPPEDA"].id: 8}, CohortQuota)
    nominated = {(n.cohort_id, n.email) for n in db.session.scalars(select(Nomination))}
    for trainee in (u for u in users if u.role == Role.TRAINEE):
        if (cohort.id, trainee.email) not in nominated:
            db.session.add(_demo_nomination(Nomination, cohort, trainee.email, trainee.full_name,
                                            trainee.opd_id, heads.get(trainee.opd_id), "enrolled", user_id=trainee.id))
    following = db.session.scalar(select(Cohort).where(Cohort.name == DEMO_NEXT_COHORT))
    if following is None:
        following = Cohort(name=DEMO_NEXT_COHORT, track=cohort.track, start_date=today_wib() + timedelta(days=28),
                           capacity=20, status="planned")
        db.session.add(following)
        db.session.flush()
        following.mentors = mentors
    _ensure_quotas(following, {opds["DISKOMINFO"].id: 5, opds["BAPPEDA"].id: 1}, CohortQuota)
    for email, name, code, status, reason in DEMO_NOMINATIONS:
        if (following.id, email) not in nominated:
            opd = opds[code]
            db.session.add(_demo_nomination(Nomination, following, email, name, opd.id, heads.get(opd.id), status,
                                            decision_reason=reason))
    db.session.flush()


def _ensure_quotas(cohort: Cohort, places: dict[int, int], quota_model) -> None:
    existing = {q.opd_id for q in cohort.quotas}
    for opd_id, n in places.items():
        if opd_id not in existing:
            cohort.quotas.append(quota_model(opd_id=opd_id, places=n))


def _demo_nomination(model, cohort, email, name, opd_id, head, status, **extra):
    now = now_utc()
    return model(
        cohort=cohort, opd_id=opd_id, nominated_by_id=head.id if head else None, full_name=name, email=email,
        phone="0812" + str(zlib.crc32(email.encode()) % 10**8).zfill(8), position="Staf pelaksana", unit="Sekretariat",
        employment_status="honorary", education="s1", hours_per_week=15, supervisor_agrees=True,
        motivation="Ingin membantu membangun aplikasi layanan internal OPD.", status=status,
        submitted_at=None if status == "draft" else now,
        decided_at=now if status in ("enrolled", "waitlisted", "rejected") else None, **extra,
    )


@click.command("demo")
@with_appcontext
def demo_command():
    """Create demo OPDs, accounts and a cohort (safe to run again)."""
    cohort = create_demo_data()
    click.echo(
        f"Demo data ready: {len(TANGSEL_OPDS)} OPDs, {len(DEMO_ACCOUNTS)} accounts "
        f"(password from TIC_DEMO_PASSWORD)."
    )
    if cohort is None:
        click.echo("No demo cohort: run `flask --app wsgi curriculum sync` first, then `flask demo` again.")
    else:
        click.echo(f"Cohort {cohort.name!r}: all demo trainees enrolled.")
