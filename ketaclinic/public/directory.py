"""The clinic directory: what the public sees of each listed clinic, and the search near a ZIP code.

The cards of every listed clinic are built in a fixed number of queries (whatever the number of clinics) and
kept in the cache for the current generation (see caching.py); a search only filters and sorts them.
"""

from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils.translation import get_language

from ketaclinic.accounts.models import Clinic
from ketaclinic.public import caching, sources
from ketaclinic.public.figures import OutcomesDisplay, RatingSummary, present_outcomes, summarize_ratings
from ketaclinic.public.geo import Point, distance_miles, zip_point_or_none
from ketaclinic.public.models import ClinicListing, Review

COMPARE_MAX_CLINICS = 3
# Twenty cards keep a page of results well inside the 100 KB budget (a card is about 1.2 KB of HTML).
CARDS_PER_PAGE = 20
DISTANCE_CHOICES_MILES = (10, 25, 50, 100)


@dataclass(frozen=True)
class ClinicCard:
    clinic: Clinic
    listing: ClinicListing
    rating: RatingSummary
    outcomes: OutcomesDisplay
    # False when the measurement-based-care report is not available at all (not the same as too few courses).
    outcomes_available: bool
    distance_miles: float | None = None

    @property
    def about(self) -> str:
        if get_language() == "es" and self.listing.about_es:
            return self.listing.about_es
        return self.listing.about_en

    @property
    def about_lang(self) -> str:
        return "es" if get_language() == "es" and self.listing.about_es else "en"


def listed_clinics():
    return Clinic.objects.filter(listing__listed=True).select_related("listing").order_by("name")


def ratings(clinic_ids: list[int]) -> dict[int, RatingSummary]:
    published = Q(reviews__status=Review.Status.PUBLISHED)
    rows = (
        Clinic.objects.filter(pk__in=clinic_ids)
        .annotate(stars=Sum("reviews__rating", filter=published), n=Count("reviews", filter=published))
        .values_list("pk", "stars", "n")
    )
    return {pk: summarize_ratings(stars or 0, n) for pk, stars, n in rows}


def build_cards(clinics) -> list[ClinicCard]:
    clinics = list(clinics)
    ids = [c.pk for c in clinics]
    stars = ratings(ids)
    outcomes = sources.induction_outcomes(ids)
    return [
        ClinicCard(
            clinic=c, listing=c.listing, rating=stars.get(c.pk, summarize_ratings(0, 0)),
            outcomes=present_outcomes(outcomes.get(c.pk) if outcomes else None),
            outcomes_available=outcomes is not None,
        )
        for c in clinics
    ]


def all_cards() -> list[ClinicCard]:
    key = f"public:cards:{caching.generation()}"
    cards = cache.get(key)
    if cards is None:
        cards = build_cards(listed_clinics())
        cache.set(key, cards, caching.PAGE_TTL_S)
    return cards


def cards_for(clinic_ids: list[int]) -> list[ClinicCard]:
    """The listed clinics among ``clinic_ids``, in the order asked for (unknown or unlisted ids are dropped).

    Built afresh (one outcomes query per clinic): the detail and compare pages need two or three cards, not all.
    """
    wanted = list(dict.fromkeys(clinic_ids))
    by_id = {card.clinic.pk: card for card in build_cards(listed_clinics().filter(pk__in=wanted))}
    return [by_id[cid] for cid in wanted if cid in by_id]


def listed_names() -> list[tuple[int, str]]:
    """(id, name) of every listed clinic, for the compare pickers."""
    return list(listed_clinics().values_list("pk", "name"))


def clinic_point(clinic: Clinic) -> Point | None:
    return zip_point_or_none(clinic.postal_code)


def search(
    cards: list[ClinicCard], *, origin: Point, route: str = "", language: str = "", within_miles: int | None = None
) -> list[ClinicCard]:
    """Cards that match, nearest first, each with its distance from ``origin`` (clinics with an unknown ZIP last)."""
    found = []
    for card in cards:
        if route and route not in card.listing.routes:
            continue
        if language and language not in card.listing.languages:
            continue
        point = clinic_point(card.clinic)
        miles = distance_miles(origin, point) if point else None
        if within_miles is not None and (miles is None or miles > within_miles):
            continue
        found.append(replace(card, distance_miles=miles))
    return sorted(found, key=lambda c: (c.distance_miles is None, c.distance_miles or 0, c.clinic.name))


@dataclass(frozen=True)
class Money:
    """What billing publishes for a clinic; None in a field means billing does not provide it (yet)."""

    prices: list | None
    payers: list | None


def money_for(clinic: Clinic) -> Money:
    key = f"public:money:{caching.generation()}:{clinic.pk}"
    money = cache.get(key)
    if money is None:
        money = Money(sources.published_prices(clinic), sources.esketamine_payers(clinic))
        cache.set(key, money, caching.PAGE_TTL_S)
    return money


def published_reviews(clinic: Clinic):
    return Review.objects.filter(clinic=clinic, status=Review.Status.PUBLISHED).only(
        "id", "rating", "title", "body", "language", "submitted_at", "reply_body", "replied_at", "clinic_id"
    )
