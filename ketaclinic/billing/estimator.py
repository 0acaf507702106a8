"""The public cost estimator's form, and the estimator's words in the reader's language.

The pure estimator (``ketaclinic.clinical.pricing``) writes its notes and assumptions in English. Rather
than re-deriving them, each of its sentence shapes is matched here and re-said through gettext, so the
arithmetic stays in one place and a Spanish reader gets Spanish. A sentence with no pattern is shown as
written (a test walks every shape the estimator can produce).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _, gettext_lazy, pgettext_lazy

from ketaclinic.billing.forms import MoneyField
from ketaclinic.billing.services.estimates import ESKETAMINE_DEFAULT_SESSIONS, IV_DEFAULT_INFUSIONS, build_course
from ketaclinic.clinical import pricing

SESSION_LABELS = {
    pricing.CONSULTATION: pgettext_lazy("session", "consultation"),
    pricing.IV_INFUSION: pgettext_lazy("session", "IV infusion"),
    pricing.IV_INDUCTION_PACKAGE: pgettext_lazy("session", "IV induction package"),
    pricing.BOOSTER: pgettext_lazy("session", "booster infusion"),
    pricing.ESKETAMINE_SESSION: pgettext_lazy("session", "esketamine session"),
    pricing.PSYCHOTHERAPY_PREPARATION: pgettext_lazy("session", "preparation session"),
    pricing.PSYCHOTHERAPY_INTEGRATION: pgettext_lazy("session", "integration session"),
    pricing.PSYCHOTHERAPY: pgettext_lazy("session", "psychotherapy session"),
    pricing.CANCELLATION_FEE: pgettext_lazy("session", "cancellation fee"),
}
_ENGLISH_LABELS = {str(label): key for key, label in pricing.SESSION_LABELS.items()}
COUNT_MAX = 104  # two years of weekly sessions: an input sanity bound

_USD = r"-?\$[\d,]+\.\d\d"
_PCT = r"[\d.]+%"


def label(session_type: str) -> str:
    return str(SESSION_LABELS.get(session_type, session_type))


def _labels(text: str) -> str:
    return ", ".join(label(_ENGLISH_LABELS.get(part.strip(), part.strip())) for part in text.split(","))


def _terms(text: str) -> str:
    words = []
    for term in text.split(", "):
        if term == "deductible first":
            words.append(_("deductible first"))
        elif m := re.fullmatch(rf"({_PCT}) coinsurance", term):
            words.append(_("%(pct)s coinsurance") % {"pct": m[1]})
        elif m := re.fullmatch(rf"({_USD}) copay per session", term):
            words.append(_("%(usd)s copay per session") % {"usd": m[1]})
        else:
            words.append(term)
    return ", ".join(words)


def _oop_reached(m) -> str:
    session, number = m[1].rsplit(" ", 1)
    return _("Out-of-pocket maximum reached at %(session)s %(number)s; later covered sessions cost you $0.") % {
        "session": label(_ENGLISH_LABELS.get(session, session)), "number": number}


def _package(m) -> str:
    values = {"n": m[1], "price": m[2], "full": m[3] or ""}
    if m[3] and m[4]:
        return _("Induction of %(n)s infusions priced as a package at %(price)s instead of %(full)s each.") % values
    if m[3]:
        return _("Induction of %(n)s infusions priced as a package at %(price)s instead of %(full)s.") % values
    return _("Induction of %(n)s infusions priced as a package at %(price)s.") % values


# (pattern, how to say it). Fixed sentences first, then shapes with numbers in them.
_PATTERNS = [
    (re.escape(pricing.IV_SELF_PAY_ASSUMPTION), lambda m: _(
        "IV ketamine is not covered by most insurers for mental health; priced as self-pay.")),
    (re.escape(pricing.UNINSURED_ASSUMPTION), lambda m: _(
        "No insurance coverage was given, so every session is priced as self-pay.")),
    (re.escape(pricing.ESTIMATE_ONLY_ASSUMPTION), lambda m: _(
        "This is an estimate only: your insurer's explanation of benefits and the clinic's final bill decide what you owe.")),
    (re.escape(pricing.SAVINGS_ORDER_ASSUMPTION), lambda m: _(
        "Manufacturer savings pay part of your share of each esketamine session after insurance; they do not count "
        "toward your deductible or out-of-pocket maximum.")),
    (re.escape(pricing.SAVINGS_MEDICATION_ONLY_ASSUMPTION), lambda m: _(
        "The manufacturer's program pays toward the medication only, so the observation part of a session may not qualify.")),
    (r"Insurance is assumed to pay covered sessions in full\.", lambda m: _(
        "Insurance is assumed to pay covered sessions in full.")),
    (r"No out-of-pocket maximum was given, so none is applied\.", lambda m: _(
        "No out-of-pocket maximum was given, so none is applied.")),
    (r"Out-of-pocket maximum already reached; covered sessions cost you \$0\.", lambda m: _(
        "Out-of-pocket maximum already reached; covered sessions cost you $0.")),
    (r"The esketamine medication itself is not in this estimate: it is billed through your pharmacy benefit or "
     r"separately by the clinic\.", lambda m: _(
        "The esketamine medication itself is not in this estimate: it is billed through your pharmacy benefit or "
        "separately by the clinic.")),
    (r"Self-pay: no insurance coverage given\.", lambda m: _("Self-pay: no insurance coverage given.")),
    (r"Self-pay: most insurers do not cover IV ketamine for mental health\.", lambda m: _(
        "Self-pay: most insurers do not cover IV ketamine for mental health.")),
    (r"Self-pay: not covered by insurance in this price list\.", lambda m: _(
        "Self-pay: not covered by insurance in this price list.")),
    (rf"Induction of (\d+) infusions priced as a package at ({_USD})(?: instead of ({_USD}))?( each)?\.", _package),
    (r"Not covered by insurance in this price list, so priced as self-pay: (.+)\.", lambda m: _(
        "Not covered by insurance in this price list, so priced as self-pay: %(types)s.") % {"types": _labels(m[1])}),
    (rf"Deductible of ({_USD}) applied first\.", lambda m: _("Deductible of %(usd)s applied first.") % {"usd": m[1]}),
    (rf"Deductible: ({_USD}) of the ({_USD}) still to meet applied first\.", lambda m: _(
        "Deductible: %(used)s of the %(left)s still to meet applied first.") % {"used": m[1], "left": m[2]}),
    (rf"Coinsurance of ({_PCT}) on each covered session after the deductible, rounded half up to the cent per session\.",
     lambda m: _("Coinsurance of %(pct)s on each covered session after the deductible, rounded half up to the cent "
                 "per session.") % {"pct": m[1]}),
    (rf"Copay of ({_USD}) per covered session on top of any coinsurance; your share of a session never exceeds its price\.",
     lambda m: _("Copay of %(usd)s per covered session on top of any coinsurance; your share of a session never "
                 "exceeds its price.") % {"usd": m[1]}),
    (r"Out-of-pocket maximum reached at (.+); later covered sessions cost you \$0\.", _oop_reached),
    (rf"Manufacturer savings of up to ({_USD}) per session\.", lambda m: _(
        "Manufacturer savings of up to %(usd)s per session.") % {"usd": m[1]}),
    (rf"Savings leave you paying the first ({_USD}) of your share of each esketamine session\.", lambda m: _(
        "Savings leave you paying the first %(usd)s of your share of each esketamine session.") % {"usd": m[1]}),
    (rf"Manufacturer savings capped at ({_USD}) per year; ({_USD}) used in this estimate\.", lambda m: _(
        "Manufacturer savings capped at %(cap)s per year; %(used)s used in this estimate.") % {"cap": m[1], "used": m[2]}),
    (r"Covered by insurance in full\.(?: Manufacturer savings (" + _USD + r")\.)?", lambda m: _(
        "Covered by insurance in full.") + (" " + _("Manufacturer savings %(usd)s.") % {"usd": m[1]} if m[1] else "")),
    (r"Covered by insurance: (.+?)\.(?: Manufacturer savings (" + _USD + r")\.)?", lambda m: _(
        "Covered by insurance: %(terms)s.") % {"terms": _terms(m[1])}
        + (" " + _("Manufacturer savings %(usd)s.") % {"usd": m[2]} if m[2] else "")),
]
_COMPILED = [(re.compile(rf"^{pattern}$"), say) for pattern, say in _PATTERNS]


def say(sentence: str) -> str:
    """The estimator's English sentence in the active language (unchanged if its shape is unknown)."""
    for pattern, render in _COMPILED:
        match = pattern.match(sentence)
        if match:
            return render(match)
    return sentence


def is_known(sentence: str) -> bool:
    return any(pattern.match(sentence) for pattern, _render in _COMPILED)


# --- the public form ------------------------------------------------------------------------------

ROUTE_IV = "iv"
ROUTE_ESKETAMINE = "esketamine"


def _count(label_text, initial=0, max_value=COUNT_MAX):
    return forms.IntegerField(label=label_text, min_value=0, max_value=max_value, initial=initial, required=False)


class EstimateForm(forms.Form):
    clinic = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Clinic"), empty_label=None)
    route = forms.ChoiceField(
        label=gettext_lazy("Treatment"), widget=forms.RadioSelect, initial=ROUTE_IV,
        choices=[(ROUTE_IV, gettext_lazy("IV ketamine infusions")),
                 (ROUTE_ESKETAMINE, gettext_lazy("Esketamine nasal spray (SPRAVATO)"))],
    )
    consultations = _count(gettext_lazy("Consultations"), 1, 4)
    iv_infusions = _count(gettext_lazy("IV infusions"), IV_DEFAULT_INFUSIONS, 24)
    iv_infusions.help_text = gettext_lazy("For IV ketamine.")
    as_package = forms.BooleanField(label=gettext_lazy("Buy the induction as a package when the clinic offers one"),
                                    required=False, initial=True)
    boosters = _count(gettext_lazy("Booster infusions"), 0, 24)
    boosters.help_text = gettext_lazy("For IV ketamine.")
    esketamine_sessions = _count(gettext_lazy("Esketamine sessions"), ESKETAMINE_DEFAULT_SESSIONS)
    esketamine_sessions.help_text = gettext_lazy("For esketamine.")
    preparation_sessions = _count(gettext_lazy("Therapy preparation sessions"), 0, 12)
    integration_sessions = _count(gettext_lazy("Therapy integration sessions"), 0, 24)
    has_insurance = forms.BooleanField(label=gettext_lazy("I have insurance that covers esketamine"), required=False)
    deductible_remaining_cents = MoneyField(label=gettext_lazy("Deductible still to meet this year ($)"), required=False)
    coinsurance_pct = forms.DecimalField(label=gettext_lazy("Coinsurance (%)"), required=False, min_value=0,
                                         max_value=100, decimal_places=2)
    copay_per_session_cents = MoneyField(label=gettext_lazy("Copay per visit ($)"), required=False)
    oop_max_remaining_cents = MoneyField(label=gettext_lazy("Out-of-pocket maximum still to reach ($)"), required=False,
                                         help_text=gettext_lazy("Leave empty if you do not know."))
    savings_program = forms.BooleanField(
        label=gettext_lazy("I am (or will be) enrolled in the manufacturer's savings program"), required=False)

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics

    def clean(self):
        data = super().clean()
        sessions = self.sessions()
        if not any(sessions.values()):
            raise ValidationError(_("Choose at least one session to estimate."))
        return data

    def sessions(self) -> dict[str, int]:
        data = self.cleaned_data
        n = {k: data.get(k) or 0 for k in ("consultations", "iv_infusions", "boosters", "esketamine_sessions",
                                           "preparation_sessions", "integration_sessions")}
        doses = ({pricing.IV_INFUSION: n["iv_infusions"], pricing.BOOSTER: n["boosters"]}
                 if data.get("route") == ROUTE_IV else {pricing.ESKETAMINE_SESSION: n["esketamine_sessions"]})
        return {pricing.CONSULTATION: n["consultations"], **doses,
                pricing.PSYCHOTHERAPY_PREPARATION: n["preparation_sessions"],
                pricing.PSYCHOTHERAPY_INTEGRATION: n["integration_sessions"]}

    def course(self, price_list) -> pricing.Course:
        return build_course(self.sessions(), price_list, as_package=bool(self.cleaned_data.get("as_package")))

    def coverage(self) -> pricing.Coverage | None:
        data = self.cleaned_data
        if data.get("route") != ROUTE_ESKETAMINE or not data.get("has_insurance"):
            return None
        savings = {}
        if data.get("savings_program"):
            savings = dict(savings_per_session_cents=None,
                           savings_patient_floor_cents=pricing.SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS,
                           savings_yearly_cap_cents=pricing.SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS)
        return pricing.Coverage(
            deductible_remaining_cents=data.get("deductible_remaining_cents") or 0,
            coinsurance_pct=data.get("coinsurance_pct") or 0,
            copay_per_session_cents=data.get("copay_per_session_cents") or 0,
            oop_max_remaining_cents=data.get("oop_max_remaining_cents"),
            **savings,
        )
