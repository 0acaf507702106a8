"""Demo step (order 70): both demo clinics listed in the directory, and published reviews with a clinic reply.

Reviews come only from demo patients whose treatment course has a completed induction (the same rule as the
portal), so this step writes none when the measurement-based-care demo has made no such course.
Idempotent: a listing is made once; a patient who already has a review gets no second one.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.public import caching, services, sources
from ketaclinic.public.models import ClinicListing, Review

LISTINGS = {
    "WS": dict(
        listed=True,
        about_en="A physician-led clinic in West Los Angeles offering IV ketamine and esketamine, with a psychiatrist "
                 "for every evaluation and an anesthesiologist on site during infusions.",
        about_es="Clínica dirigida por médicos en el oeste de Los Ángeles. Ofrece ketamina intravenosa y esketamina, "
                 "con evaluación psiquiátrica y un anestesiólogo presente durante las infusiones.",
        lead_name="Dr. Ana Reyes, MD", lead_specialty="psychiatry", lead_board_certified=True,
        anesthesiologist_on_site=True, psychiatrist_on_site=True, crna_on_site=True,
        equipment=["pulse-oximetry", "automatic-bp", "ecg", "capnography", "airway-kit", "defibrillator"],
        routes=["iv-ketamine", "esketamine", "kap"], languages=["en", "es"],
        first_consultation_wait_days=6, accepting_new_patients=True,
    ),
    "PA": dict(
        listed=True,
        about_en="A small clinic in Old Pasadena focused on IV ketamine with integration therapy. Evening "
                 "appointments on weekdays.",
        about_es="Una clínica pequeña en Old Pasadena dedicada a la ketamina intravenosa con terapia de integración. "
                 "Citas por la tarde entre semana.",
        lead_name="Dr. Priya Patel, MD", lead_specialty="psychiatry", lead_board_certified=True,
        anesthesiologist_on_site=False, psychiatrist_on_site=True, crna_on_site=False,
        equipment=["pulse-oximetry", "automatic-bp", "ecg", "airway-kit", "defibrillator"],
        routes=["iv-ketamine", "kap"], languages=["en", "ko"],
        first_consultation_wait_days=14, accepting_new_patients=True,
    ),
}

# rating, title, body, language, reply (or "")
REVIEW_TEXTS = [
    (5, "Calm, careful and clear about costs",
     "The nurse checked my blood pressure every few minutes and explained what I might feel before we started. "
     "The dreamy feeling was strange but passed within the hour. I knew the price of the whole series up front.",
     "en", "Thank you for taking the time to write. We are glad the explanations helped."),
    (4, "Helped, though the first session was a lot",
     "I felt detached and a little nauseous the first time. They slowed things down and gave me time. By the "
     "fourth infusion my mood was clearly better. Parking is hard to find, so plan for it.",
     "en", ""),
    (5, "Me sentí acompañada",
     "Me explicaron todo en español, desde el ayuno hasta quién debía llevarme a casa. El personal estuvo atento "
     "durante toda la infusión.",
     "es", "Gracias por su comentario. Nos alegra que se haya sentido acompañada."),
    (3, "Good care, long waits in the lobby",
     "The treatment itself was well run and the staff were kind. Twice I waited over half an hour past my time.",
     "en", "Thank you for telling us. We have added a chair to the evening schedule to shorten waits."),
]
REVIEWS_PER_CLINIC = 3


def _listings(clinics) -> None:
    for key, spec in LISTINGS.items():
        clinic = clinics.get(key)
        if clinic is not None and not ClinicListing.objects.filter(clinic=clinic).exists():
            services.save_listing(clinic, data=spec, acting_user=None)


def _eligible(patients, clinic):
    for patient in patients:
        if patient.clinic_id != clinic.pk:
            continue
        completed_on = sources.completed_induction_on(patient)
        if completed_on is not None:
            yield patient, completed_on


def _review(clinic, patient, completed_on: dt.date, text, n: int) -> None:
    rating, title, body, language, reply = text
    when = timezone.make_aware(dt.datetime.combine(completed_on + dt.timedelta(days=3 + n), dt.time(18, 0)))
    review = Review.objects.create(
        clinic=clinic, patient=patient, rating=rating, title=title, body=body, language=language,
        induction_completed_on=completed_on, status=Review.Status.PUBLISHED, submitted_at=when, moderated_at=when,
        reply_body=reply, replied_at=when if reply else None,
    )
    audit.record(audit.Action.CREATE, actor=None, object_type="review", object_id=review.pk, clinic=clinic,
                 patient=patient, summary="Demo review (published)")


@transaction.atomic
def seed_directory(context: dict) -> None:
    clinics, patients = context["clinics"], context["patients"]
    _listings(clinics)
    for offset, clinic in enumerate(clinics.values()):
        have = Review.objects.filter(clinic=clinic).count()
        for n, (patient, completed_on) in enumerate(_eligible(patients, clinic)):
            if have >= REVIEWS_PER_CLINIC:
                break
            if Review.objects.filter(patient=patient, clinic=clinic).exists():
                continue
            _review(clinic, patient, completed_on, REVIEW_TEXTS[(n + offset) % len(REVIEW_TEXTS)], n)
            have += 1
    caching.invalidate_on_commit()
