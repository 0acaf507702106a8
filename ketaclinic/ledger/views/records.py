"""The ledger's records: every entry (with its reversal), counts, discrepancy cases, and the reconciliation report."""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.pagination import paginate
from ketaclinic.ledger import exports, forms, reports, services
from ketaclinic.ledger.access import get_case_for_user, get_count_for_user, get_entry_for_user
from ketaclinic.ledger.models import Count, DiscrepancyCase, DrugProduct, Entry
from ketaclinic.ledger.views.common import can_move, clinic_for, form_flow, witness_from


@staff_required
def entries(request):
    clinic = clinic_for(request)
    rows = Entry.objects.filter(clinic=clinic).select_related("product", "container", "patient", "reverses")
    return render(request, "ledger/entries.html", {"page": paginate(request, rows), "clinic": clinic})


@staff_required
@require_http_methods(["GET", "POST"])
def entry(request, entry_id: int):
    e = get_entry_for_user(request.user, entry_id, Perm.LEDGER_VIEW)
    if request.method == "POST":
        access.require(request.user, Perm.LEDGER_MOVE, e.clinic_id)
    form = forms.ReverseForm(request.POST or None)

    def act(data):
        reversal = services.reverse(e, acting_user=request.user, reason=data["note"])
        return redirect("ledger:entry", entry_id=reversal.pk)

    reversed_by = Entry.objects.filter(reverses=e).first()
    context = {"e": e, "reversed_by": reversed_by, "can_move": can_move(request, e.clinic_id)}
    return form_flow(request, form, act, "ledger/entry.html", context, success="Reversed. Both entries stay in the ledger.")


@staff_required
def counts(request):
    clinic = clinic_for(request)
    rows = Count.objects.filter(clinic=clinic).select_related("counted_by", "witness")
    return render(request, "ledger/counts.html", {"page": paginate(request, rows), "can_move": can_move(request, clinic.pk)})


@staff_required
@require_http_methods(["GET", "POST"])
def count_new(request):
    clinic = clinic_for(request, Perm.LEDGER_MOVE)
    products = DrugProduct.objects.filter(stock__clinic=clinic).order_by("name", "pk")
    form = forms.CountForm(request.POST or None, products=products)

    def act(data):
        count = services.record_count(
            clinic=clinic, kind=data["kind"], business_time=data.get("business_time") or None, lines=form.lines(),
            witness=witness_from(request, clinic, data), acting_user=request.user, note=data.get("note", ""),
        )
        return redirect("ledger:count", count_id=count.pk)

    return form_flow(request, form, act, "ledger/count_form.html", {"clinic": clinic}, success="Count recorded.")


@staff_required
def count(request, count_id: int):
    c = get_count_for_user(request.user, count_id, Perm.LEDGER_VIEW)
    lines = c.lines.select_related("product", "case__resolution")
    return render(request, "ledger/count.html", {"count": c, "lines": lines})


@staff_required
def cases(request):
    clinic = clinic_for(request)
    rows = DiscrepancyCase.objects.filter(clinic=clinic).select_related("count_line__product", "count_line__count", "resolution")
    return render(request, "ledger/cases.html", {"page": paginate(request, rows)})


@staff_required
@require_http_methods(["GET", "POST"])
def case(request, case_id: int):
    c = get_case_for_user(request.user, case_id, Perm.LEDGER_VIEW)
    may_resolve = access.can(request.user, Perm.CLINICAL_SIGN, c.clinic_id) and can_move(request, c.clinic_id)
    if request.method == "POST" and not may_resolve:
        access.require(request.user, Perm.CLINICAL_SIGN, c.clinic_id)
    form = forms.ResolveForm(request.POST or None, clinic=c.clinic)

    def act(data):
        services.resolve_case(c, explanation=data["explanation"], loss_entry=data.get("loss_entry"), acting_user=request.user)
        return redirect("ledger:case", case_id=c.pk)

    context = {"case": c, "line": c.count_line, "may_resolve": may_resolve, "resolution": getattr(c, "resolution", None)}
    return form_flow(request, form, act, "ledger/case.html", context, success="Resolved.")


@staff_required
def report(request):
    clinic = clinic_for(request)
    form = forms.PeriodForm(request.GET or None, clinic=clinic)
    context = {"form": form, "clinic": clinic}
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        context.update(report=reports.reconciliation(clinic, start, end), query=request.GET.urlencode())
        _audit_report(request, clinic, start, end, "Opened the controlled-substance reconciliation")
    return render(request, "ledger/report.html", context, status=422 if form.errors else 200)


@staff_required
def report_download(request, fmt: str):
    clinic = clinic_for(request)
    form = forms.PeriodForm(request.GET, clinic=clinic)
    if not form.is_valid():
        return render(request, "ledger/report.html", {"form": form, "clinic": clinic}, status=422)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report_, dispensing, wastes = (reports.reconciliation(clinic, start, end), reports.dispensing_record(clinic, start, end),
                                   reports.waste_log(clinic, start, end))
    _audit_report(request, clinic, start, end, f"Downloaded the controlled-substance reconciliation ({fmt.upper()})")
    name = f"ledger-{clinic.mrn_prefix}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.reconciliation_csv(report_, dispensing, wastes), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.reconciliation_pdf(report_, dispensing, wastes), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _audit_report(request, clinic, start: dt.date, end: dt.date, summary: str) -> None:
    audit.record(audit.Action.EXPORT if "Downloaded" in summary else audit.Action.VIEW, actor=request.user,
                 object_type="ledger_report", object_id="", clinic=clinic, summary=f"{summary} {start}–{end}")
