"""The billing codes the clinic uses, with our own short plain-English labels.

CPT descriptors are AMA-copyrighted (clinical.md §11 item 5), so no descriptor text is shown anywhere:
each code carries a short label written here, good enough for a patient to recognise the line.
HCPCS and ICD-10-CM are public (CMS). Sources: clinical.md §7.1 (esketamine), §7.2 (IV ketamine, KAP,
E/M, psychotherapy), §7.3 (ICD-10-CM).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ketaclinic.clinical import pricing


@dataclass(frozen=True)
class BillingCode:
    code: str
    system: str  # "CPT", "HCPCS" or "internal"
    label: str  # our own words, never the AMA descriptor
    session_type: str = ""  # the price-list item that prices it by default ("" : priced by hand)
    claimable: bool = True  # appears on claims and superbills' claim lines
    add_on: bool = False  # billed only with a primary service


# J0013 replaced S0013 for esketamine 1 mg on 1 January 2026 (clinical.md §0.6 and §7.1 [56]).
J0013_EFFECTIVE_ON = dt.date(2026, 1, 1)
# G2082 covers up to 56 mg; G2083 more than 56 mg (i.e. 84 mg), both with 2 h observation (§7.1 [54][55]).
G2082_MAX_DOSE_MG = 56
# CPT time rule for the add-on hour: report it when the infusion runs more than 30 minutes past the
# first hour. [UNSOURCED – standard CPT] clinical.md §7.2; a clinic-editable default in price lists.
IV_FIRST_HOUR_MIN = 60
IV_ADDITIONAL_HOUR_THRESHOLD_MIN = 30
# CMS place-of-service code for an office. [UNSOURCED – standard CMS POS list]
PLACE_OF_SERVICE_OFFICE = "11"
# Internal code for the late-cancellation fee: never claimable.
CANCELLATION_CODE = "CANCEL"

_C = BillingCode
CODES: dict[str, BillingCode] = {c.code: c for c in (
    # Esketamine (§7.1)
    _C("G2082", "HCPCS", "Esketamine visit, up to 56 mg, with 2-hour observation", pricing.ESKETAMINE_SESSION),
    _C("G2083", "HCPCS", "Esketamine visit, over 56 mg, with 2-hour observation", pricing.ESKETAMINE_SESSION),
    _C("J0013", "HCPCS", "Esketamine nasal spray, per 1 mg"),
    _C("S0013", "HCPCS", "Esketamine nasal spray, per 1 mg (code used until 2025)"),
    # IV ketamine (§7.2)
    _C("96365", "CPT", "IV infusion, first hour", pricing.IV_INFUSION),
    _C("96366", "CPT", "IV infusion, each added hour", add_on=True),
    _C("J3490", "HCPCS", "Ketamine HCl (unclassified drug, NDC on claim)"),
    _C("99415", "CPT", "Extended staff monitoring, first hour", add_on=True),
    _C("99416", "CPT", "Extended staff monitoring, each added 30 min", add_on=True),
    # Evaluation and management, psychiatric evaluation (§7.2)
    *(_C(f"9920{n}", "CPT", f"New patient office visit, level {n}", pricing.CONSULTATION) for n in (2, 3, 4, 5)),
    *(_C(f"9921{n}", "CPT", f"Follow-up office visit, level {n}", pricing.CONSULTATION) for n in (2, 3, 4, 5)),
    _C("90791", "CPT", "Psychiatric evaluation", pricing.CONSULTATION),
    _C("90792", "CPT", "Psychiatric evaluation by a prescriber", pricing.CONSULTATION),
    # Psychotherapy: add-ons with an E/M visit, and stand-alone sessions (§7.2)
    _C("90833", "CPT", "Therapy add-on, 30 min", pricing.PSYCHOTHERAPY, add_on=True),
    _C("90836", "CPT", "Therapy add-on, 45 min", pricing.PSYCHOTHERAPY, add_on=True),
    _C("90838", "CPT", "Therapy add-on, 60 min", pricing.PSYCHOTHERAPY, add_on=True),
    _C("90832", "CPT", "Therapy session, 30 min", pricing.PSYCHOTHERAPY),
    _C("90834", "CPT", "Therapy session, 45 min", pricing.PSYCHOTHERAPY),
    _C("90837", "CPT", "Therapy session, 60 min", pricing.PSYCHOTHERAPY),
    _C("90785", "CPT", "Interactive complexity add-on", add_on=True),
    # Not a claim code: the clinic's own fee.
    _C(CANCELLATION_CODE, "internal", "Late cancellation or missed visit fee", pricing.CANCELLATION_FEE,
       claimable=False),
)}

# ICD-10-CM codes the clinic uses most, with plain labels (clinical.md §7.3). Other well-formed codes
# are accepted: the authoritative list is the annual CMS release file, which a clinic may load.
ICD10_LABELS: dict[str, str] = {
    "F32.0": "Major depression, single episode, mild",
    "F32.1": "Major depression, single episode, moderate",
    "F32.2": "Major depression, single episode, severe",
    "F32.3": "Major depression, single episode, severe with psychosis",
    "F32.4": "Major depression, single episode, partial remission",
    "F32.5": "Major depression, single episode, full remission",
    "F32.9": "Major depression, single episode, unspecified",
    "F32.A": "Depression, unspecified",
    "F33.0": "Major depression, recurrent, mild",
    "F33.1": "Major depression, recurrent, moderate",
    "F33.2": "Major depression, recurrent, severe",
    "F33.3": "Major depression, recurrent, severe with psychosis",
    "F33.40": "Major depression, recurrent, in remission",
    "F33.41": "Major depression, recurrent, partial remission",
    "F33.42": "Major depression, recurrent, full remission",
    "F33.8": "Other recurrent depressive disorders",
    "F33.9": "Major depression, recurrent, unspecified",
    "F31.30": "Bipolar disorder, depressed, mild or moderate",
    "F31.31": "Bipolar disorder, depressed, mild",
    "F31.32": "Bipolar disorder, depressed, moderate",
    "F31.4": "Bipolar disorder, depressed, severe",
    "F31.5": "Bipolar disorder, depressed, severe with psychosis",
    "F41.0": "Panic disorder",
    "F41.1": "Generalized anxiety disorder",
    "F43.10": "PTSD, unspecified",
    "F43.11": "PTSD, acute",
    "F43.12": "PTSD, chronic",
    "F42.2": "OCD, mixed thoughts and acts",
    "F42.9": "OCD, unspecified",
}
# ICD-10-CM shape: a letter, two characters, then optionally a dot and one to four more (e.g. F33.1, F32.A).
ICD10_PATTERN = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
# A CMS-1500 claim holds 12 diagnoses (box 21, A–L); each line points to at most 4 of them (box 24E).
MAX_DIAGNOSES_PER_CLAIM = 12
MAX_POINTERS_PER_LINE = 4
MODIFIER_PATTERN = re.compile(r"^[0-9A-Z]{2}$")
NDC_PATTERN = re.compile(r"^\d{5}-\d{4}-\d{2}$")  # the 5-4-2 (11-digit) form claims ask for


def label(code: str) -> str:
    known = CODES.get(code)
    return known.label if known else code


def icd10_label(code: str) -> str:
    return ICD10_LABELS.get(code, "")


def clean_icd10(codes) -> list[str]:
    """Upper-cased, de-duplicated ICD-10-CM codes in their given order; ValueError names the bad one."""
    cleaned: list[str] = []
    for raw in codes or []:
        code = str(raw).strip().upper()
        if not code:
            continue
        if not ICD10_PATTERN.match(code):
            raise ValueError(f"{raw!r} is not an ICD-10-CM code (for example F33.1)")
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_DIAGNOSES_PER_CLAIM:
        raise ValueError(f"at most {MAX_DIAGNOSES_PER_CLAIM} diagnoses fit on a claim; got {len(cleaned)}")
    return cleaned


def clean_modifiers(text: str) -> str:
    """'kx, 59' -> 'KX 59'; at most four two-character modifiers (CMS-1500 box 24D)."""
    parts = [p for p in re.split(r"[\s,]+", (text or "").upper()) if p]
    if len(parts) > 4:
        raise ValueError("at most four modifiers fit on a claim line")
    for part in parts:
        if not MODIFIER_PATTERN.match(part):
            raise ValueError(f"{part!r} is not a two-character modifier (for example KX)")
    return " ".join(parts)


def esketamine_drug_code(service_date: dt.date) -> str:
    return "J0013" if service_date >= J0013_EFFECTIVE_ON else "S0013"


def esketamine_visit_code(dose_mg) -> str:
    return "G2082" if dose_mg <= G2082_MAX_DOSE_MG else "G2083"


def iv_additional_hours(infusion_min: int) -> int:
    """Add-on hours (96366) for an infusion of ``infusion_min`` minutes: one more per started hour past
    the first, once it runs more than 30 minutes into that hour."""
    beyond = infusion_min - IV_FIRST_HOUR_MIN
    if beyond <= IV_ADDITIONAL_HOUR_THRESHOLD_MIN:
        return 0
    hours, rest = divmod(beyond, IV_FIRST_HOUR_MIN)
    return hours + (1 if rest > IV_ADDITIONAL_HOUR_THRESHOLD_MIN else 0)


def choices(claimable_only: bool = False) -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} · {c.label}") for c in CODES.values() if c.claimable or not claimable_only]
