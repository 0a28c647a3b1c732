"""Roles and states as string enums: stored as the same strings, named in code and templates, no bare strings left."""
import importlib.util
import sys
from pathlib import Path

from flask import render_template_string
from sqlalchemy import text

from tic_academy.enums import ROLES, EnrollmentStatus, Role
from tic_academy.extensions import db
from tic_academy.i18n import ROLE_LABELS

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "enum_strings.py"


def _codemod():
    """scripts/enum_strings.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location("enum_strings", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["enum_strings"] = module
    spec.loader.exec_module(module)
    return module


def test_members_are_stored_as_their_plain_strings(app, make_user, make_enrollment, make_track):
    """Does a row written with an enum member hold the same string as before (no data migration)?"""
    trainee = make_user(role=Role.TRAINEE)
    enrollment = make_enrollment(trainee, make_track([{"exercises": [{}]}]))
    enrollment.status = EnrollmentStatus.GRADUATED
    db.session.commit()
    stored = db.session.execute(text("SELECT status FROM enrollment WHERE id = :id"), {"id": enrollment.id}).scalar()
    role = db.session.execute(text("SELECT role FROM user WHERE id = :id" if db.engine.dialect.name == "sqlite"
                                   else 'SELECT role FROM "user" WHERE id = :id'), {"id": trainee.id}).scalar()
    assert (stored, role) == ("graduated", "trainee")
    assert type(stored) is str and stored == EnrollmentStatus.GRADUATED


def test_templates_name_the_members(app):
    """Can a template compare with Role.ADMIN, and do labels look roles up by member or by stored string?"""
    with app.test_request_context():
        assert render_template_string("{{ 'ya' if role == Role.ADMIN else 'tidak' }}", role="admin") == "ya"
    assert ROLE_LABELS[Role.OPD_HEAD] is ROLE_LABELS["opd_head"]
    assert ROLES == ("trainee", "mentor", "opd_head", "admin")


def test_no_bare_role_or_status_strings_are_left():
    """Does the codemod find nothing left to rewrite in the package (a new role_required("admin") would fail)?"""
    codemod = _codemod()
    used, unsure = set(), []
    assert codemod.rewrite_line('@role_required("mentor", "admin")', "x.py", used, unsure) == \
        "@role_required(Role.MENTOR, Role.ADMIN)"
    assert codemod.rewrite_line('    if enrollment.status != "active":', "x.py", used, unsure) == \
        "    if enrollment.status != EnrollmentStatus.ACTIVE:"
    assert codemod.main(check=True) == 0
