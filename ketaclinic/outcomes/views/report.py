"""The clinic outcomes page (per clinic or for the network), its CSV export and the booster-review list."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ketaclinic.accounts import access
from ketaclinic.accounts.models import Clinic
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import course_summary
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.pagination import paginate
from ketaclinic.outcomes import reports
from ketaclinic.outcomes.views.safety import audit_report_opened

SCOPES = ("clinic", "network")


def _scope(request) -> tuple[str, list[int]]:
    """This clinic, or every clinic of its network where the user may see outcomes."""
    clinic = request.clinic
    access.require(request.user, Perm.OUTCOMES_VIEW, getattr(clinic, "pk", None))
    scope = request.GET.get("scope") if request.GET.get("scope") in SCOPES else "clinic"
    if scope == "clinic":
        return scope, [clinic.pk]
    allowed = set(access.clinic_ids(request.user, Perm.OUTCOMES_VIEW))
    network = Clinic.objects.filter(network_id=clinic.network_id).values_list("pk", flat=True)
    return scope, sorted(allowed.intersection(network))


@staff_required
def report(request):
    scope, clinic_ids = _scope(request)
    audit_report_opened(request, clinic_ids, what="clinic outcomes")
    today = timezone.localdate(timezone.now(), request.clinic.tz)
    context = {
        "scope": scope, "rows": reports.outcome_table(clinic_ids, today=today),
        "booster": reports.booster_review(clinic_ids)[:10], "booster_count": reports.booster_review(clinic_ids).count(),
        "windows": course_summary.DEFAULT_WINDOWS, "month3_before": reports.month3_closed_before(today),
        "clinic_count": len(clinic_ids),
        "can_edit_schedule": access.can(request.user, Perm.PROTOCOL_EDIT, request.clinic.pk),
        "can_edit_crisis_text": access.can(request.user, Perm.CLINIC_EDIT, request.clinic.pk),
    }
    return render(request, "outcomes/report.html", context)


CSV_HEADER = [
    "condition", "route", "courses_started", "no_baseline", "baseline_severity",
    "induction_courses", "induction_no_follow_up", "induction_no_follow_up_pct", "induction_responders",
    "induction_response_pct", "induction_remitters", "induction_remission_pct",
    "month3_courses", "month3_no_follow_up", "month3_no_follow_up_pct", "month3_responders", "month3_response_pct",
    "month3_remitters", "month3_remission_pct", "responders_with_session_count", "median_sessions_to_response",
]


def _csv_row(row) -> list:
    cells = [row.condition or "all", row.route or "all", row.started, row.no_baseline,
             "; ".join(f"{k}: {v}" for k, v in sorted(row.baseline.items()))]
    for o in (row.induction, row.month3):
        cells += [o.courses, o.no_follow_up, o.no_follow_up_share, o.responders, o.response_rate, o.remitters, o.remission_rate]
    cells += [row.responders_with_sessions, row.median_sessions_to_response]
    return ["" if c is None else c for c in cells]


@staff_required
def report_csv(request):
    scope, clinic_ids = _scope(request)
    audit_report_opened(request, clinic_ids, what="clinic outcomes CSV", export=True)
    today = timezone.localdate(timezone.now(), request.clinic.tz)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{scope}-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in reports.outcome_table(clinic_ids, today=today):
        writer.writerow(_csv_row(row))
    return response


@staff_required
def booster_review(request):
    scope, clinic_ids = _scope(request)
    audit_report_opened(request, clinic_ids, what="booster-review list")
    page = paginate(request, reports.booster_review(clinic_ids))
    return render(request, "outcomes/booster_review.html", {"scope": scope, "page": page})
