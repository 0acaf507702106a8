"""Price lists (versioned), the clinic's billing settings, and what the public site may show."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Clinic
from ketaclinic.billing.models import BillingProfile, Payer, PriceList
from ketaclinic.billing.services._common import apply_fields, clinic_today, record_create, record_update, save_checked
from ketaclinic.clinical import pricing

PRICE_LIST_FIELDS = tuple(f for f in PriceList.AUDITED_FIELDS)


def billing_profile(clinic: Clinic) -> BillingProfile:
    """The clinic's billing settings; an unsaved default until someone saves them (a read never writes)."""
    return BillingProfile.objects.filter(clinic=clinic).first() or BillingProfile(clinic=clinic)


@transaction.atomic
def update_billing_profile(clinic: Clinic, *, data: dict[str, Any], acting_user) -> BillingProfile:
    profile, _ = BillingProfile.objects.select_for_update().get_or_create(clinic=clinic)
    before = audit.snapshot(profile, BillingProfile.AUDITED_FIELDS)
    apply_fields(profile, data, BillingProfile.AUDITED_FIELDS)
    save_checked(profile)
    record_update(profile, before, actor=acting_user, object_type="billing_profile", clinic=clinic,
                  summary="Changed billing settings")
    return profile


def current_price_list(clinic: Clinic | int, on: dt.date | None = None) -> PriceList | None:
    """The version in force on ``on`` (the clinic's today by default): the latest that has started."""
    clinic_id = getattr(clinic, "pk", clinic)
    if on is None:
        on = clinic_today(clinic if isinstance(clinic, Clinic) else Clinic.objects.get(pk=clinic_id))
    return PriceList.objects.filter(clinic_id=clinic_id, effective_from__lte=on).order_by("-effective_from").first()


def to_pricing(price_list: PriceList) -> pricing.PriceList:
    """The pure estimator's price list. Types the clinic does not offer are left out."""
    prices = {t: getattr(price_list, f) for t, f in PriceList.SESSION_FIELDS.items() if getattr(price_list, f) is not None}
    return pricing.PriceList(
        prices,
        induction_package_price_cents=price_list.induction_package_price_cents,
        induction_package_discount_pct=price_list.induction_package_discount_pct,
        induction_package_infusions=price_list.induction_package_infusions,
    )


def _check_price_list(price_list: PriceList) -> None:
    if all(getattr(price_list, f) is None for f in PriceList.SESSION_FIELDS.values()):
        raise ValidationError({"iv_infusion_cents": "Give at least one price."})
    if price_list.induction_package_price_cents is not None and price_list.induction_package_discount_pct is not None:
        raise ValidationError({"induction_package_discount_pct": "Give a package price or a discount, not both."})
    if price_list.induction_package_discount_pct is not None and price_list.iv_infusion_cents is None:
        raise ValidationError({"iv_infusion_cents": "A package discount needs the price of one infusion."})
    infusion = price_list.iv_infusion_cents
    if infusion is not None and price_list.iv_drug_charge_cents > infusion:
        raise ValidationError({"iv_drug_charge_cents": "Cannot be more than the infusion price."})
    try:
        to_pricing(price_list)
    except ValueError as error:  # the estimator's own checks, named by field
        field = str(error).split(":")[0].split("[")[0]
        raise ValidationError({field if hasattr(price_list, field) else "__all__": str(error)}) from None


@transaction.atomic
def create_price_list(clinic: Clinic, *, data: dict[str, Any], acting_user) -> PriceList:
    """A new version. Versions are never edited: a mistake is corrected by a newer one."""
    price_list = PriceList(clinic=clinic, created_by=acting_user if getattr(acting_user, "pk", None) else None)
    apply_fields(price_list, data, PRICE_LIST_FIELDS)
    if price_list.iv_drug_charge_cents is None:
        price_list.iv_drug_charge_cents = 0
    _check_price_list(price_list)
    if PriceList.objects.filter(clinic=clinic, effective_from=price_list.effective_from).exists():
        raise ValidationError({"effective_from": "A price list already starts on that day; pick another day."})
    try:
        with transaction.atomic():
            save_checked(price_list)
    except IntegrityError:
        raise ValidationError({"effective_from": "A price list already starts on that day; pick another day."}) from None
    record_create(price_list, actor=acting_user, object_type="price_list", clinic=clinic,
                  summary=f"New price list in force from {price_list.effective_from:%m/%d/%Y}")
    return price_list


def published_prices(clinic: Clinic) -> dict | None:
    """What the public site shows for a clinic, or None when the clinic does not publish its prices.

    {"clinic_id", "effective_from" (date), "currency": "USD", "prices_cents": {session type: cents},
     "labels": {session type: label}, "induction_package_cents": int | None, "induction_package_infusions": int,
     "financing_options": str, "accepted_esketamine_payers": [names]}
    """
    profile = billing_profile(clinic)
    price_list = current_price_list(clinic)
    if not profile.publish_prices or price_list is None:
        return None
    prices = {t: c for t, c in to_pricing(price_list).prices_cents.items()}
    package = to_pricing(price_list).induction_package_cents() if price_list.has_package else None
    return {
        "clinic_id": clinic.pk,
        "effective_from": price_list.effective_from,
        "currency": "USD",
        "prices_cents": prices,
        "labels": {t: pricing.SESSION_LABELS[t] for t in (*prices, pricing.IV_INDUCTION_PACKAGE)},
        "induction_package_cents": package,
        "induction_package_infusions": price_list.induction_package_infusions,
        "financing_options": profile.financing_options,
        "accepted_esketamine_payers": accepted_esketamine_payers(clinic),
    }


def accepted_esketamine_payers(clinic: Clinic) -> list[str]:
    """Names of the insurers the clinic is in network with for esketamine, alphabetically."""
    return list(
        Payer.objects.filter(clinic=clinic, active=True, esketamine_in_network=True).order_by("name").values_list("name", flat=True)
    )


def publishing_clinics():
    """Clinics that publish prices and have a price list (for the public estimator's clinic picker)."""
    return Clinic.objects.filter(billing_profile__publish_prices=True, price_lists__isnull=False).distinct().order_by("name")
