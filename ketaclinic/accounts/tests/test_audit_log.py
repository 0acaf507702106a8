import csv
import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from conftest import make_patient, make_staff
from ketaclinic.accounts import audit
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role


@pytest.fixture
def history(alice, bob, patient, other_patient, client_for):
    client_for(alice).get(reverse("patients:chart", args=[patient.pk]))
    client_for(bob).get(reverse("patients:chart", args=[other_patient.pk]))


def test_an_admin_sees_chart_openings_with_who_and_which_patient(client_for, admin, history, patient):
    text = client_for(admin).get(reverse("accounts:audit_log")).text
    assert "Alice" in text and "Bob" in text and patient.mrn in text and "Opened" in text


def test_it_filters_by_patient_person_and_date(client_for, admin, history, patient, other_patient):
    client = client_for(admin)
    by_patient = client.post(reverse("accounts:audit_log"), {"patient": patient.mrn}).text
    assert "Alice" in by_patient and other_patient.mrn not in by_patient
    by_person = client.post(reverse("accounts:audit_log"), {"person": "bob"}).text
    assert other_patient.mrn in by_person and "Alice" not in by_person
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "Nothing recorded" in client.post(reverse("accounts:audit_log"), {"date_from": tomorrow}).text


def test_a_bad_date_range_names_the_field(client_for, admin):
    response = client_for(admin).post(reverse("accounts:audit_log"), {"date_from": "2026-11-02", "date_to": "2026-11-01"})
    assert "must be on or after" in response.text


def test_it_exports_csv_and_records_the_export(client_for, admin, history, patient):
    response = client_for(admin).post(reverse("accounts:audit_log_csv"), {"patient": patient.mrn})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["at_utc", "actor", "action"]
    assert [r[2] for r in rows[1:]] == ["view"] and rows[1][5] == patient.mrn
    assert AuditEvent.objects.filter(action="export", actor=admin).exists()


def test_only_roles_with_audit_rights_may_read_it(client_for, bob):
    assert client_for(bob).get(reverse("accounts:audit_log")).status_code == 403


def test_another_clinics_admin_sees_none_of_it(client_for, pasadena, history):
    other_admin = make_staff("otheradmin", pasadena, Role.CLINIC_ADMIN)
    text = client_for(other_admin).get(reverse("accounts:audit_log")).text
    assert "Alice" not in text and "Nothing recorded" in text


def test_patients_cannot_read_the_audit_log(client_for, pat):
    assert client_for(pat).get(reverse("accounts:audit_log")).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_the_audit_page_runs_a_constant_number_of_queries(client_for, admin, westside, alice, rows, django_assert_num_queries):
    for n in range(rows):
        audit.record("view", actor=alice, object_type="patient", clinic=westside, patient=make_patient(westside, n + 10))
    client = client_for(admin)
    with django_assert_num_queries(10):
        client.get(reverse("accounts:audit_log"))


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(alice, westside):
    event = audit.record("view", actor=alice, object_type="patient", clinic=westside)
    event.summary = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("sql", ["UPDATE accounts_auditevent SET summary = 'tampered'", "DELETE FROM accounts_auditevent"])
def test_audit_rows_cannot_be_changed_or_deleted_in_sql(alice, westside, sql):
    audit.record("view", actor=alice, object_type="patient", clinic=westside, summary="original")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get().summary == "original"
