"""Cost estimates for a planned course of IV ketamine, esketamine and related sessions.

Pure arithmetic: money is integer cents, percentages are ``int`` or ``Decimal`` (never float) and every
percentage is applied to one session and rounded half up to the cent. ``estimate()`` walks the course
session by session so that the deductible, the out-of-pocket maximum and the manufacturer's yearly
savings cap run down in order, then sums each session type into one line.

Money splits two ways and always adds up: ``insurance_cents + patient_cents == total_cents`` for every
line and overall. ``patient_cents`` is the patient's share under the plan; manufacturer savings pay
part of that share (``savings_cents``) and ``patient_after_savings_cents`` is what the patient pays.

Sources: shared/reference/clinical.md §0b (LA patient guide, Cost row), §1.2 (six-infusion induction),
§3.9 (SPRAVATO cost support), §7 (billing; most payers treat IV ketamine for depression as
investigational, so expect self-pay).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

# Stable kebab-case session types, in the order a course usually runs. Labels are patient-facing.
CONSULTATION = "consultation"
IV_INFUSION = "iv-infusion"
IV_INDUCTION_PACKAGE = "iv-induction-package"  # a whole induction series sold as one item
BOOSTER = "booster"  # a maintenance IV infusion after the induction (clinical.md §1.2)
ESKETAMINE_SESSION = "esketamine-session"  # SPRAVATO dose plus the 2-hour observation (§7.1)
PSYCHOTHERAPY_PREPARATION = "psychotherapy-preparation"
PSYCHOTHERAPY_INTEGRATION = "psychotherapy-integration"
PSYCHOTHERAPY = "psychotherapy"
CANCELLATION_FEE = "cancellation-fee"

SESSION_LABELS: Mapping[str, str] = MappingProxyType({
    CONSULTATION: "consultation",
    IV_INFUSION: "IV infusion",
    IV_INDUCTION_PACKAGE: "IV induction package",
    BOOSTER: "booster infusion",
    ESKETAMINE_SESSION: "esketamine session",
    PSYCHOTHERAPY_PREPARATION: "preparation session",
    PSYCHOTHERAPY_INTEGRATION: "integration session",
    PSYCHOTHERAPY: "psychotherapy session",
    CANCELLATION_FEE: "cancellation fee",
})
SESSION_TYPES: tuple[str, ...] = tuple(SESSION_LABELS)
IV_KETAMINE_TYPES = frozenset({IV_INFUSION, IV_INDUCTION_PACKAGE, BOOSTER})
# Most insurers, Medicare included, do not cover IV ketamine for mental health; esketamine often is
# covered. clinical.md §0b (Cost row) and §7.2. Clinic-editable per price list.
DEFAULT_COVERED_TYPES = frozenset({ESKETAMINE_SESSION})
# Manufacturer savings (Janssen CarePath) are for SPRAVATO only. clinical.md §3.9 [35].
SAVINGS_SESSION_TYPES = frozenset({ESKETAMINE_SESSION})

# Induction series length: "six infusions over two to three weeks". clinical.md §1.2 [2][3][19].
IV_INDUCTION_INFUSIONS = 6
# Typical Los Angeles self-pay prices, [min, max] inclusive, for the public guide and demo price lists.
# clinical.md §0b (Cost row), corroborated by §7.4 [61]. Market ranges, not rules.
LA_IV_INFUSION_TYPICAL_MIN_CENTS = 40_000  # $400 per infusion
LA_IV_INFUSION_TYPICAL_MAX_CENTS = 80_000  # $800 per infusion
LA_IV_INDUCTION_TYPICAL_MIN_CENTS = 240_000  # $2,400 for six infusions
LA_IV_INDUCTION_TYPICAL_MAX_CENTS = 480_000  # $4,800 for six infusions
# Janssen CarePath: commercially insured patients "pay $10 per treatment for SPRAVATO medication
# costs, with a $7,150 maximum program benefit per calendar year". clinical.md §3.9 [35]. The $10 is
# what the patient still pays (a floor), not an amount taken off. Terms change yearly; editable.
SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS = 1_000
SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS = 715_000

_HUNDRED = Decimal(100)


def format_usd(cents: int) -> str:
    """Format integer cents as US dollars: 123456 -> "$1,234.56", -5 -> "-$0.05"."""
    _check_int("cents", cents)
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def percent_of_cents(cents: int, pct: Decimal | int) -> int:
    """``pct`` percent of ``cents``, rounded half up to the cent (12.5% of 100 -> 13)."""
    exact = Decimal(cents) * Decimal(pct) / _HUNDRED
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- input checks: every message starts with the field it is about -------------------------------

def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: {value!r} is not a whole number")


def _check_cents(name: str, value: object, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    _check_int(name, value)
    if value < 0:
        raise ValueError(f"{name}: {value} is negative")


def _checked_pct(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"{name}: {value!r} must be an int or Decimal percentage, not {type(value).__name__}")
    pct = Decimal(value)
    if not pct.is_finite() or not 0 <= pct <= 100:
        raise ValueError(f"{name}: {value} is outside 0–100")
    return pct


def _check_session_type(name: str, session_type: object) -> None:
    if session_type not in SESSION_LABELS:
        raise ValueError(f"{name}: unknown session type; expected one of {', '.join(SESSION_TYPES)}")


def _frozen_mapping(name: str, value: object) -> Mapping:
    if not isinstance(value, Mapping):
        raise ValueError(f"{name}: expected a mapping of session type to a number, got {type(value).__name__}")
    return MappingProxyType(dict(value))


# --- inputs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriceList:
    """A clinic's self-pay prices per session type, plus how an induction package is priced.

    The package price is either fixed (``induction_package_price_cents``) or a discount on
    ``induction_package_infusions`` × the ``iv-infusion`` price, never both. ``covered_types`` are the
    session types insurance may pay for; everything else is priced as self-pay.
    """

    prices_cents: Mapping[str, int]
    induction_package_price_cents: int | None = None
    induction_package_discount_pct: Decimal | int | None = None
    induction_package_infusions: int = IV_INDUCTION_INFUSIONS
    covered_types: frozenset[str] = DEFAULT_COVERED_TYPES

    def __post_init__(self) -> None:
        prices = _frozen_mapping("prices_cents", self.prices_cents)
        for session_type, price in prices.items():
            name = f"prices_cents[{session_type!r}]"
            _check_session_type(name, session_type)
            if session_type == IV_INDUCTION_PACKAGE:
                raise ValueError(f"{name}: set induction_package_price_cents or "
                                 "induction_package_discount_pct instead")
            _check_cents(name, price)
        object.__setattr__(self, "prices_cents", prices)
        self._check_package()
        if isinstance(self.covered_types, str):
            raise ValueError(f"covered_types: expected a set of session types, got the string {self.covered_types!r}")
        covered = frozenset(self.covered_types)
        for session_type in covered:
            _check_session_type(f"covered_types[{session_type!r}]", session_type)
        object.__setattr__(self, "covered_types", covered)

    def _check_package(self) -> None:
        _check_cents("induction_package_price_cents", self.induction_package_price_cents, allow_none=True)
        if self.induction_package_discount_pct is not None:
            if self.induction_package_price_cents is not None:
                raise ValueError("induction_package_price_cents, induction_package_discount_pct: "
                                 "give a package price or a discount, not both")
            pct = _checked_pct("induction_package_discount_pct", self.induction_package_discount_pct)
            object.__setattr__(self, "induction_package_discount_pct", pct)
        _check_int("induction_package_infusions", self.induction_package_infusions)
        if self.induction_package_infusions < 1:
            raise ValueError(f"induction_package_infusions: {self.induction_package_infusions} is below 1")

    def price_cents(self, session_type: str, *, count: int) -> int:
        """Unit price of ``session_type``; ``count`` only makes a missing-price error explicit."""
        if session_type == IV_INDUCTION_PACKAGE:
            return self.induction_package_cents()
        if session_type not in self.prices_cents:
            raise ValueError(f"prices_cents[{session_type!r}]: missing, and the course has {count}")
        return self.prices_cents[session_type]

    def induction_package_cents(self) -> int:
        """Price of one induction package; the discount (not the price) is rounded half up."""
        if self.induction_package_price_cents is not None:
            return self.induction_package_price_cents
        if self.induction_package_discount_pct is None:
            raise ValueError("induction_package_price_cents: the course asks for an induction package "
                             "but the price list offers none")
        if IV_INFUSION not in self.prices_cents:
            raise ValueError(f"prices_cents[{IV_INFUSION!r}]: needed to price the induction package "
                             "from induction_package_discount_pct")
        full_cents = self.induction_package_infusions * self.prices_cents[IV_INFUSION]
        return full_cents - percent_of_cents(full_cents, self.induction_package_discount_pct)


@dataclass(frozen=True)
class Course:
    """Planned sessions by type, in the order the estimate walks them (the mapping's order).

    With ``induction_as_package`` the first ``induction_package_infusions`` IV infusions are sold as
    one ``iv-induction-package``; a course may instead list ``iv-induction-package`` itself.
    """

    sessions: Mapping[str, int]
    induction_as_package: bool = False

    def __post_init__(self) -> None:
        sessions = _frozen_mapping("sessions", self.sessions)
        for session_type, count in sessions.items():
            name = f"sessions[{session_type!r}]"
            _check_session_type(name, session_type)
            _check_int(name, count)
            if count < 0:
                raise ValueError(f"{name}: count {count} is negative")
        if self.induction_as_package and sessions.get(IV_INDUCTION_PACKAGE, 0):
            raise ValueError(f"induction_as_package: the course already lists {IV_INDUCTION_PACKAGE}")
        object.__setattr__(self, "sessions", sessions)


@dataclass(frozen=True)
class Coverage:
    """What is left of the patient's plan this year, for the covered session types.

    ``oop_max_remaining_cents=None`` means no cap. Savings: the program takes up to
    ``savings_per_session_cents`` off each esketamine session (``None``: no per-session limit) and
    at most ``savings_yearly_cap_cents`` in all (``None``: no cap; pass what is left of this year's
    cap), and never below ``savings_patient_floor_cents`` (CarePath: $10) of patient payment.
    """

    deductible_remaining_cents: int = 0
    coinsurance_pct: Decimal | int = 0
    copay_per_session_cents: int = 0
    savings_per_session_cents: int | None = 0
    savings_yearly_cap_cents: int | None = None
    savings_patient_floor_cents: int = 0
    oop_max_remaining_cents: int | None = None

    def __post_init__(self) -> None:
        _check_cents("deductible_remaining_cents", self.deductible_remaining_cents)
        object.__setattr__(self, "coinsurance_pct", _checked_pct("coinsurance_pct", self.coinsurance_pct))
        _check_cents("copay_per_session_cents", self.copay_per_session_cents)
        _check_cents("savings_per_session_cents", self.savings_per_session_cents, allow_none=True)
        _check_cents("savings_yearly_cap_cents", self.savings_yearly_cap_cents, allow_none=True)
        _check_cents("savings_patient_floor_cents", self.savings_patient_floor_cents)
        _check_cents("oop_max_remaining_cents", self.oop_max_remaining_cents, allow_none=True)


# --- results --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EstimateLine:
    session_type: str
    count: int
    unit_price_cents: int
    total_cents: int
    insurance_cents: int
    patient_cents: int
    note: str
    savings_cents: int = 0

    @property
    def patient_after_savings_cents(self) -> int:
        return self.patient_cents - self.savings_cents


@dataclass(frozen=True)
class Estimate:
    total_cents: int
    insurance_cents: int
    patient_cents: int
    savings_cents: int
    lines: tuple[EstimateLine, ...]
    assumptions: tuple[str, ...]

    @property
    def patient_after_savings_cents(self) -> int:
        return self.patient_cents - self.savings_cents



# --- the walk -------------------------------------------------------------------------------------

def estimate(price_list: PriceList, course: Course | Mapping[str, int],
             coverage: Coverage | None = None) -> Estimate:
    """Price ``course`` with ``price_list``; ``coverage`` (None: uninsured) applies to covered types.

    Per covered session, in course order: the patient's share is the deductible part
    (min(price, deductible left)) + coinsurance on the rest (rounded half up) + the copay, never more
    than the price, then capped by the out-of-pocket maximum left. Insurance pays the price minus that
    share. Manufacturer savings then pay part of the share of esketamine sessions; they do not count
    toward the deductible or the out-of-pocket maximum. Self-pay sessions: the patient pays all.
    Raises ValueError naming the field for bad input.
    """
    if not isinstance(price_list, PriceList):
        raise ValueError(f"price_list: expected a PriceList, got {type(price_list).__name__}")
    if not isinstance(course, Course):
        course = Course(course)
    if coverage is not None and not isinstance(coverage, Coverage):
        raise ValueError(f"coverage: expected a Coverage or None, got {type(coverage).__name__}")
    ledger = _Ledger.start(coverage)
    lines = tuple(_price_line(session_type, count, price_list, coverage, ledger)
                  for session_type, count in _planned_lines(course, price_list))
    return Estimate(
        total_cents=sum(line.total_cents for line in lines),
        insurance_cents=sum(line.insurance_cents for line in lines),
        patient_cents=sum(line.patient_cents for line in lines),
        savings_cents=sum(line.savings_cents for line in lines),
        lines=lines,
        assumptions=_assumptions(lines, price_list, coverage, ledger),
    )


@dataclass
class _Ledger:
    """Balances that run down across one course; mutable on purpose and private to estimate()."""

    deductible_left: int
    oop_left: int | None
    savings_left: int | None
    deductible_used: int = 0
    savings_used: int = 0
    oop_reached_at: str | None = None

    @classmethod
    def start(cls, coverage: Coverage | None) -> _Ledger:
        if coverage is None:
            return cls(0, None, None)
        return cls(coverage.deductible_remaining_cents, coverage.oop_max_remaining_cents,
                   coverage.savings_yearly_cap_cents)


def _planned_lines(course: Course, price_list: PriceList):
    """(session_type, count) in course order, the induction folded into a package, zeros dropped."""
    size = price_list.induction_package_infusions
    infusions = course.sessions.get(IV_INFUSION, 0)
    if course.induction_as_package and infusions < size:
        raise ValueError(f"induction_as_package: the course has {infusions} {IV_INFUSION} sessions; "
                         f"the package is {size}")
    for session_type, count in course.sessions.items():
        if session_type == IV_INFUSION and course.induction_as_package:
            yield IV_INDUCTION_PACKAGE, 1
            count -= size
        if count:
            yield session_type, count


def _price_line(session_type: str, count: int, price_list: PriceList, coverage: Coverage | None,
                ledger: _Ledger) -> EstimateLine:
    unit_cents = price_list.price_cents(session_type, count=count)
    total_cents = unit_cents * count
    if coverage is None or session_type not in price_list.covered_types:
        note = _self_pay_note(session_type, price_list, coverage)
        return EstimateLine(session_type, count, unit_cents, total_cents, 0, total_cents, note)
    deductible_before = ledger.deductible_used
    patient_cents = savings_cents = 0
    for number in range(1, count + 1):
        share, saved = _covered_session(session_type, unit_cents, coverage, ledger)
        patient_cents += share
        savings_cents += saved
        if ledger.oop_left == 0 and ledger.oop_reached_at is None and share:
            ledger.oop_reached_at = f"{SESSION_LABELS[session_type]} {number}"
    note = _covered_note(coverage, ledger.deductible_used > deductible_before, savings_cents)
    return EstimateLine(session_type, count, unit_cents, total_cents, total_cents - patient_cents,
                        patient_cents, note, savings_cents)


def _covered_session(session_type: str, price_cents: int, coverage: Coverage,
                     ledger: _Ledger) -> tuple[int, int]:
    """One covered session: (patient's share under the plan, manufacturer savings toward it)."""
    deductible = min(price_cents, ledger.deductible_left)
    coinsurance = percent_of_cents(price_cents - deductible, coverage.coinsurance_pct)
    share = min(price_cents, deductible + coinsurance + coverage.copay_per_session_cents)
    if ledger.oop_left is not None:
        share = min(share, ledger.oop_left)
        ledger.oop_left -= share
    ledger.deductible_left -= deductible
    # Only what the patient actually owes counts as "deductible applied" in the wording.
    ledger.deductible_used += min(deductible, share)
    if session_type not in SAVINGS_SESSION_TYPES:
        return share, 0
    return share, _take_savings(share, coverage, ledger)


def _take_savings(share_cents: int, coverage: Coverage, ledger: _Ledger) -> int:
    saved = max(0, share_cents - coverage.savings_patient_floor_cents)
    if coverage.savings_per_session_cents is not None:
        saved = min(saved, coverage.savings_per_session_cents)
    if ledger.savings_left is not None:
        saved = min(saved, ledger.savings_left)
        ledger.savings_left -= saved
    ledger.savings_used += saved
    return saved


# --- the words ------------------------------------------------------------------------------------

IV_SELF_PAY_ASSUMPTION = "IV ketamine is not covered by most insurers for mental health; priced as self-pay."
UNINSURED_ASSUMPTION = "No insurance coverage was given, so every session is priced as self-pay."
ESTIMATE_ONLY_ASSUMPTION = ("This is an estimate only: your insurer's explanation of benefits and the "
                            "clinic's final bill decide what you owe.")
SAVINGS_ORDER_ASSUMPTION = ("Manufacturer savings pay part of your share of each esketamine session after "
                            "insurance; they do not count toward your deductible or out-of-pocket maximum.")
SAVINGS_MEDICATION_ONLY_ASSUMPTION = ("The manufacturer's program pays toward the medication only, so the "
                                      "observation part of a session may not qualify.")


def _format_pct(pct: Decimal) -> str:
    return f"{pct.normalize():f}%"


def _self_pay_note(session_type: str, price_list: PriceList, coverage: Coverage | None) -> str:
    if session_type in price_list.covered_types and coverage is None:
        return "Self-pay: no insurance coverage given."
    if session_type in IV_KETAMINE_TYPES:
        return "Self-pay: most insurers do not cover IV ketamine for mental health."
    return "Self-pay: not covered by insurance in this price list."


def _covered_note(coverage: Coverage, deductible_applied: bool, savings_cents: int) -> str:
    terms = ["deductible first"] if deductible_applied else []
    if coverage.coinsurance_pct:
        terms.append(f"{_format_pct(coverage.coinsurance_pct)} coinsurance")
    if coverage.copay_per_session_cents:
        terms.append(f"{format_usd(coverage.copay_per_session_cents)} copay per session")
    note = f"Covered by insurance: {', '.join(terms)}." if terms else "Covered by insurance in full."
    if savings_cents:
        note += f" Manufacturer savings {format_usd(savings_cents)}."
    return note


def _assumptions(lines: tuple[EstimateLine, ...], price_list: PriceList, coverage: Coverage | None,
                 ledger: _Ledger) -> tuple[str, ...]:
    covered = [line for line in lines if line.session_type in price_list.covered_types]
    plan_applies = coverage is not None and bool(covered)
    return (
        *_package_sentences(lines, price_list),
        *_self_pay_sentences(lines, price_list, coverage),
        *(_plan_sentences(coverage, ledger) if plan_applies else ()),
        *(_savings_sentences(covered, coverage, ledger) if plan_applies else ()),
        ESTIMATE_ONLY_ASSUMPTION,
    )


def _package_sentences(lines, price_list: PriceList) -> tuple[str, ...]:
    package = next((line for line in lines if line.session_type == IV_INDUCTION_PACKAGE), None)
    if package is None:
        return ()
    size = price_list.induction_package_infusions
    sentence = f"Induction of {size} infusions priced as a package at {format_usd(package.unit_price_cents)}"
    if IV_INFUSION in price_list.prices_cents:
        sentence += f" instead of {format_usd(size * price_list.prices_cents[IV_INFUSION])}"
    return (sentence + " each.",) if package.count > 1 else (sentence + ".",)


def _self_pay_sentences(lines, price_list: PriceList, coverage: Coverage | None) -> tuple[str, ...]:
    sentences = []
    if coverage is None and any(line.session_type in price_list.covered_types for line in lines):
        sentences.append(UNINSURED_ASSUMPTION)
    uncovered = [line.session_type for line in lines if line.session_type not in price_list.covered_types]
    if any(session_type in IV_KETAMINE_TYPES for session_type in uncovered):
        sentences.append(IV_SELF_PAY_ASSUMPTION)
    others = [SESSION_LABELS[t] for t in uncovered if t not in IV_KETAMINE_TYPES]
    if others:
        sentences.append(f"Not covered by insurance in this price list, so priced as self-pay: "
                         f"{', '.join(others)}.")
    return tuple(sentences)


def _plan_sentences(coverage: Coverage, ledger: _Ledger) -> tuple[str, ...]:
    sentences = []
    if ledger.deductible_used == coverage.deductible_remaining_cents > 0:
        sentences.append(f"Deductible of {format_usd(ledger.deductible_used)} applied first.")
    elif ledger.deductible_used:
        sentences.append(f"Deductible: {format_usd(ledger.deductible_used)} of the "
                         f"{format_usd(coverage.deductible_remaining_cents)} still to meet applied first.")
    if coverage.coinsurance_pct:
        sentences.append(f"Coinsurance of {_format_pct(coverage.coinsurance_pct)} on each covered session "
                         "after the deductible, rounded half up to the cent per session.")
    if coverage.copay_per_session_cents:
        sentences.append(f"Copay of {format_usd(coverage.copay_per_session_cents)} per covered session on top "
                         "of any coinsurance; your share of a session never exceeds its price.")
    if not (ledger.deductible_used or coverage.coinsurance_pct or coverage.copay_per_session_cents):
        sentences.append("Insurance is assumed to pay covered sessions in full.")
    return (*sentences, *_oop_sentences(coverage, ledger))


def _oop_sentences(coverage: Coverage, ledger: _Ledger) -> tuple[str, ...]:
    if coverage.oop_max_remaining_cents is None:
        return ("No out-of-pocket maximum was given, so none is applied.",)
    if coverage.oop_max_remaining_cents == 0:
        return ("Out-of-pocket maximum already reached; covered sessions cost you $0.",)
    if ledger.oop_reached_at:
        return (f"Out-of-pocket maximum reached at {ledger.oop_reached_at}; "
                "later covered sessions cost you $0.",)
    return ()


def _savings_sentences(covered, coverage: Coverage, ledger: _Ledger) -> tuple[str, ...]:
    offered = coverage.savings_per_session_cents != 0
    if not offered or not any(line.session_type in SAVINGS_SESSION_TYPES for line in covered):
        return ()
    sentences = [SAVINGS_ORDER_ASSUMPTION]
    if coverage.savings_per_session_cents is not None:
        sentences.append(f"Manufacturer savings of up to {format_usd(coverage.savings_per_session_cents)} "
                         "per session.")
    if coverage.savings_patient_floor_cents:
        sentences.append(f"Savings leave you paying the first {format_usd(coverage.savings_patient_floor_cents)} "
                         "of your share of each esketamine session.")
    if coverage.savings_yearly_cap_cents is not None:
        sentences.append(f"Manufacturer savings capped at {format_usd(coverage.savings_yearly_cap_cents)} per "
                         f"year; {format_usd(ledger.savings_used)} used in this estimate.")
    return (*sentences, SAVINGS_MEDICATION_ONLY_ASSUMPTION)
