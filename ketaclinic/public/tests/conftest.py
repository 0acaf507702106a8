import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from ketaclinic.public import services
from ketaclinic.public.models import ClinicListing, Review

LISTING = dict(
    listed=True, lead_name="Dr. Test Lead, MD", lead_specialty="anesthesiology", lead_board_certified=True,
    anesthesiologist_on_site=True, psychiatrist_on_site=False, crna_on_site=True,
    equipment=["pulse-oximetry", "automatic-bp"], routes=["iv-ketamine"], languages=["en", "es"],
    first_consultation_wait_days=7, about_en="A calm clinic.", about_es="Una clínica tranquila.",
)


@pytest.fixture(autouse=True)
def _empty_cache_and_english():
    """Public pages are cached across requests; every test starts with an empty cache. A request in Spanish leaves
    Spanish active in this thread (LocaleMiddleware does not undo it), so later tests are put back in English."""
    cache.clear()
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


def list_clinic(clinic, **extra) -> ClinicListing:
    return services.save_listing(clinic, data={**LISTING, **extra}, acting_user=None)


def complete_induction(patient, on=dt.date(2026, 10, 1), *, outcome_class: str | None = None):
    """A treatment course for the patient whose induction ended ``on`` (and its outcome row, if a class is given)."""
    from ketaclinic.outcomes.models import CourseOutcome, TreatmentCourse

    course = TreatmentCourse.objects.create(
        patient=patient, clinic_id=patient.clinic_id, route="iv-ketamine", condition="major-depression",
        primary_scale="PHQ-9", started_on=on - dt.timedelta(days=18), induction_completed_on=on,
        status=TreatmentCourse.Status.MAINTENANCE,
    )
    if outcome_class is not None:
        # The outcome row as the measurement-based-care area keeps it (copying the course's fields it filters on).
        copied = {f.name: getattr(course, f.name) for f in CourseOutcome._meta.concrete_fields
                  if f.name in {"clinic", "condition", "route", "started_on"}}
        flags = {name: value for name, value in (("induction_ended", True), ("is_open", course.is_open))
                 if name in {f.name for f in CourseOutcome._meta.concrete_fields}}
        CourseOutcome.objects.create(course=course, scale="PHQ-9", baseline_total=20, end_of_induction_class=outcome_class,
                                     rule_version="test", **copied, **flags)
    return course


def make_review(clinic, patient, *, status=Review.Status.PUBLISHED, rating=4, n=0, **extra) -> Review:
    fields = dict(title=f"Review {n}", body="Kind staff, careful monitoring.", induction_completed_on=dt.date(2026, 10, 1))
    return Review.objects.create(clinic=clinic, patient=patient, rating=rating, status=status, **{**fields, **extra})


@pytest.fixture
def listed_westside(westside):
    westside.postal_code = "90064"
    westside.rems_certification_number, westside.rems_certified_on = "SPR-1", dt.date(2025, 3, 1)
    westside.save()
    list_clinic(westside)
    return westside


@pytest.fixture
def listed_pasadena(pasadena):
    pasadena.postal_code = "91101"
    pasadena.save()
    list_clinic(pasadena, routes=["iv-ketamine", "esketamine"], languages=["en", "ko"], lead_specialty="psychiatry")
    return pasadena
