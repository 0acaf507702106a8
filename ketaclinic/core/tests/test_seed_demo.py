from io import StringIO

from django.core.management import call_command

from ketaclinic.accounts.models import AuditEvent, Clinic, Membership, User
from ketaclinic.accounts.roles import Role
from ketaclinic.patients.models import Patient


def _counts():
    return [m.objects.count() for m in (Clinic, User, Membership, Patient, AuditEvent)]


def test_it_seeds_two_clinics_a_login_per_role_and_40_patients(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert sorted(Clinic.objects.values_list("name", flat=True)) == ["Pasadena Ketamine Clinic", "Westside Ketamine Clinic"]
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Patient.objects.count() == 40
    assert set(Patient.objects.values_list("preferred_language", flat=True)) == {"en", "es"}
    assert len({p.age_years // 10 for p in Patient.objects.all()}) >= 4
    assert "dr.reyes" in out.getvalue() and "patient.demo" in out.getvalue()


def test_a_second_run_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_new_registrations_continue_after_the_seeded_mrns(db):
    call_command("seed_demo", stdout=StringIO())
    assert Clinic.objects.get(mrn_prefix="WS").mrn_next == 21
