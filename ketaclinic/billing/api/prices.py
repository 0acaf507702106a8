from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Status

from ketaclinic.accounts import access as clinic_access
from ketaclinic.accounts.models import Clinic
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.billing.api import router
from ketaclinic.billing.api.schemas import EstimateIn, EstimateOut, PriceListIn, PriceListOut, PublishedPricesOut
from ketaclinic.billing.models import PriceList
from ketaclinic.billing.services import estimates, prices
from ketaclinic.clinical import pricing


@router.get("/price-lists", response={200: list[PriceListOut], **ERRORS}, summary="A clinic's price list versions")
def list_price_lists(request, clinic_id: int):
    personal_only(request)
    clinic = clinic_access.get_clinic_for_user(request.user, clinic_id, Perm.BILLING_VIEW)
    return PriceList.objects.filter(clinic=clinic).order_by("-effective_from")


@router.post("/price-lists", response={201: PriceListOut, **WRITE_ERRORS}, summary="Add a price list version")
def create_price_list(request, payload: PriceListIn):
    personal_only(request)
    clinic = clinic_access.get_clinic_for_user(request.user, payload.clinic_id, Perm.BILLING_EDIT)
    data = payload.dict(exclude={"clinic_id"})
    return Status(201, prices.create_price_list(clinic, data=data, acting_user=request.user))


def _publishing_clinic(clinic_id: int) -> Clinic:
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None or prices.published_prices(clinic) is None:
        raise Http404("No published prices.")
    return clinic


@router.get("/published-prices/{clinic_id}", auth=None, response={200: PublishedPricesOut, 404: ERRORS[404]},
            summary="A clinic's published prices (public)")
def published_prices(request, clinic_id: int):
    return prices.published_prices(_publishing_clinic(clinic_id))


@router.post("/estimate", auth=None, response={200: EstimateOut, 404: ERRORS[404], **{422: WRITE_ERRORS[422]}},
             summary="Estimate a course at a clinic that publishes prices (public)")
def estimate(request, payload: EstimateIn):
    clinic = _publishing_clinic(payload.clinic_id)
    price_list = prices.current_price_list(clinic)
    try:
        course = estimates.build_course(payload.sessions, price_list, as_package=payload.induction_as_package)
        coverage = _coverage(payload.coverage)
    except ValueError as error:
        raise ValidationError({"sessions": str(error)}) from None
    return _estimate_out(estimates.run(price_list, course, coverage))


def _coverage(terms) -> pricing.Coverage | None:
    if terms is None:
        return None
    savings = {}
    if terms.manufacturer_savings:
        savings = dict(savings_per_session_cents=None,
                       savings_patient_floor_cents=pricing.SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS,
                       savings_yearly_cap_cents=pricing.SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS)
    return pricing.Coverage(deductible_remaining_cents=terms.deductible_remaining_cents,
                            coinsurance_pct=terms.coinsurance_pct, copay_per_session_cents=terms.copay_per_session_cents,
                            oop_max_remaining_cents=terms.oop_max_remaining_cents, **savings)


def _estimate_out(result: pricing.Estimate, extra=()) -> dict:
    return {
        "total_cents": result.total_cents, "insurance_cents": result.insurance_cents,
        "patient_cents": result.patient_cents, "savings_cents": result.savings_cents,
        "patient_after_savings_cents": result.patient_after_savings_cents,
        "lines": [{**line.__dict__, "patient_after_savings_cents": line.patient_after_savings_cents}
                  for line in result.lines],
        "assumptions": [*result.assumptions, *extra],
    }
