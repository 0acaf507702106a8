"""The reconciliation report and the dispensing record as CSV and PDF (WeasyPrint), for an inspector."""

import csv
import io

from django.template.loader import render_to_string

from ketaclinic.clinical import ledger
from ketaclinic.ledger import reports


def _amount_cells(amount: ledger.Quantity) -> list[str]:
    return [f"{amount.mg.normalize():f}", "" if amount.ml is None else f"{amount.ml.normalize():f}"]


def reconciliation_csv(report: reports.ReconciliationReport, dispensing: list, wastes: list) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Controlled-substance reconciliation", report.clinic.name, f"DEA {report.clinic.dea_registration or '(not on file)'}"])
    w.writerow(["Period", report.start.isoformat(), report.end.isoformat(), "Generated", report.generated_at.isoformat()])
    w.writerow(["Ledger balances", "yes" if report.balances else "NO: see the rows marked below"])
    w.writerow([])
    w.writerow(["product", "NDC", "line", "mg", "mL"])
    for row in report.rows:
        for label, amount in row.lines:
            w.writerow([row.product.name + " " + row.product.strength_label, row.product.ndc, label.strip(), *_amount_cells(amount)])
        if row.last_count:
            line = row.last_count
            w.writerow([row.product.name, row.product.ndc, "Last count: expected", *_amount_cells(line.expected)])
            w.writerow([row.product.name, row.product.ndc, "Last count: counted" + (" (opened containers estimated)" if line.estimated else ""),
                        *_amount_cells(line.counted)])
        w.writerow([row.product.name, row.product.ndc, "Balances", "yes" if row.result.balances else "NO", ""])
    w.writerow([])
    w.writerow(["Variances", "count", "counted at", "product", "expected mg", "counted mg", "variance mg", "variance mL", "case", "status", "resolution"])
    for case in report.cases:
        line = case.count_line
        resolution = getattr(case, "resolution", None)
        w.writerow(["", line.count.get_kind_display(), line.count.at.isoformat(), line.product.name,
                    *[f"{x.normalize():f}" for x in (line.expected_mg, line.counted_mg, line.variance_mg)],
                    "" if line.variance_ml is None else f"{line.variance_ml.normalize():f}", f"#{case.pk}",
                    "open" if case.is_open else "resolved", resolution.explanation if resolution else ""])
    w.writerow([])
    _dispensing_rows(w, "Dispensing record (21 CFR 1304.22(c))", dispensing)
    w.writerow([])
    _dispensing_rows(w, "Waste log", wastes, waste=True)
    return out.getvalue()


DISPENSING_HEADER = ["date", "time", "substance", "form and strength", "amount", "mg", "mL", "patient", "patient address",
                     "administered by", "lot", "container", "entry", "note"]


def _dispensing_rows(w, title: str, rows: list, waste: bool = False) -> None:
    w.writerow([title])
    header = DISPENSING_HEADER + (["witness", "method"] if waste else [])
    if waste:
        header[9] = "wasted by"
    w.writerow(header)
    for r in rows:
        e = r.entry
        note = f"reverses entry #{e.reverses_id}" if e.is_reversal else ""
        cells = [r.local_at.date().isoformat(), r.local_at.strftime("%H:%M"), r.substance, r.form_and_strength, r.amount,
                 *_amount_cells(e.amount.scaled(e.sign)), r.patient_name, r.patient_address, e.actor_label, e.container.lot_number,
                 e.container.label, e.pk, note]
        if waste:
            cells += [e.witness_label, e.get_waste_method_display() if e.waste_method else ""]
        w.writerow(cells)


def dispensing_csv(clinic, rows: list) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([clinic.name, f"DEA {clinic.dea_registration or '(not on file)'}"])
    _dispensing_rows(w, "Dispensing record (21 CFR 1304.22(c))", rows)
    return out.getvalue()


def reconciliation_pdf(report, dispensing: list, wastes: list) -> bytes:
    from weasyprint import HTML  # imported here: it loads fonts and is only needed for a download

    html = render_to_string("ledger/report_pdf.html", {"report": report, "dispensing": dispensing, "wastes": wastes})
    return HTML(string=html).write_pdf()
