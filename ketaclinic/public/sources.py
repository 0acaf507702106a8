"""What the public site reads from other areas of the clinic, in one place, turned into this app's own shapes.

- measured results: ``ketaclinic.outcomes.reports.clinic_induction_outcomes``
- published prices and esketamine payers: ``ketaclinic.billing.services``
- review eligibility: ``ketaclinic.outcomes.models.TreatmentCourse.induction_completed_on``

Each reader returns None when the other area does not provide the figure, and the page then says it is not
available rather than guessing. Nothing here returns anything about an individual patient to a public page.
"""

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from typing import Any, Iterable

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ketaclinic.public.figures import InductionOutcomes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PriceLine:
    label: Any  # str, or a lazy translation
    price_cents: int
    session_type: str = ""


def _function(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _field(obj: Any, *names: str, default=None):
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if not isinstance(obj, dict) and hasattr(obj, name):
            return getattr(obj, name)
    return default


def available() -> dict[str, bool]:
    """Which of the other areas' readers exist now (for the report and the staff listing page)."""
    return {
        "outcomes": _function("ketaclinic.outcomes.reports", "clinic_induction_outcomes") is not None,
        "prices": _function("ketaclinic.billing.services", "published_prices") is not None,
        "payers": _function("ketaclinic.billing.services", "accepted_esketamine_payers") is not None,
        "courses": _treatment_course_model() is not None,
    }


def _as_outcomes(row: Any) -> InductionOutcomes | None:
    if row is None:
        return None
    try:
        return InductionOutcomes(
            courses=int(_field(row, "courses", default=0)),
            responders=int(_field(row, "responders", default=0)),
            remitters=int(_field(row, "remitters", default=0)),
            no_follow_up=int(_field(row, "no_follow_up", default=0)),
        )
    except (TypeError, ValueError) as error:  # an inconsistent report is not shown at all
        log.warning("Outcomes report not shown: %s", error)
        return None


def induction_outcomes(clinic_ids: Iterable[int]) -> dict[int, InductionOutcomes | None] | None:
    """{clinic_id: outcomes or None}; None as a whole when the report is not available.

    The report sums whatever clinics it is given into one figure, so each clinic is asked on its own (one query
    each). The directory keeps the result for a cache generation (see directory.all_cards).
    """
    report = _function("ketaclinic.outcomes.reports", "clinic_induction_outcomes")
    if report is None:
        return None
    return {cid: _as_outcomes(report([cid])) for cid in clinic_ids}


# Billing labels its session types in English; the public pages say them in the reader's language.
SESSION_LABELS = {
    "consultation": _("Consultation"),
    "iv-infusion": _("IV ketamine infusion"),
    "iv-induction-package": _("First series of IV infusions (package)"),
    "booster": _("Maintenance (booster) infusion"),
    "esketamine-session": _("Esketamine session, with 2 hours of observation"),
    "psychotherapy-preparation": _("Preparation session (psychotherapy)"),
    "psychotherapy-integration": _("Integration session (psychotherapy)"),
    "psychotherapy": _("Psychotherapy session"),
    "cancellation-fee": _("Late-cancellation fee"),
}


@dataclass(frozen=True)
class PublishedPrices:
    lines: list[PriceLine]
    effective_from: dt.date | None
    financing_options: str = ""


def _lines(prices_cents: dict, labels: dict, package_cents, package_infusions) -> list[PriceLine]:
    # Labels stay lazy: the prices are cached once for both languages and rendered in the reader's.
    lines = [PriceLine(SESSION_LABELS.get(t) or labels.get(t, t), int(c), t) for t, c in prices_cents.items()]
    if package_cents is not None:
        label = format_lazy("{} ({} ×)", SESSION_LABELS["iv-induction-package"], package_infusions)
        lines.append(PriceLine(label, int(package_cents), "iv-induction-package"))
    return lines


def published_prices(clinic) -> PublishedPrices | None:
    """The clinic's published price list, or None when it does not publish one (or billing cannot say)."""
    reader = _function("ketaclinic.billing.services", "published_prices")
    published = reader(clinic) if reader is not None else None
    if not published:
        return None
    return PublishedPrices(
        lines=_lines(published.get("prices_cents", {}), published.get("labels", {}),
                     published.get("induction_package_cents"), published.get("induction_package_infusions", 6)),
        effective_from=published.get("effective_from"),
        financing_options=published.get("financing_options", ""),
    )


def esketamine_payers(clinic) -> list[str] | None:
    reader = _function("ketaclinic.billing.services", "accepted_esketamine_payers")
    if reader is None:
        return None
    return [str(_field(p, "name", "display_name", default=p)) for p in reader(clinic) or ()]


def _treatment_course_model():
    try:
        model = apps.get_model("outcomes", "TreatmentCourse")
    except LookupError:
        return None
    return model if any(f.name == "induction_completed_on" for f in model._meta.get_fields()) else None


def completed_induction_on(patient) -> dt.date | None:
    """The most recent end of induction among the patient's treatment courses, or None."""
    model = _treatment_course_model()
    if model is None:
        return None
    return (
        model.objects.filter(patient=patient, induction_completed_on__isnull=False)
        .order_by("-induction_completed_on")
        .values_list("induction_completed_on", flat=True)
        .first()
    )
