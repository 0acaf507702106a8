"""Which ledger records a user may reach. Another clinic's record answers 404; a patient never reaches any."""

from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.ledger.models import Container, Count, DiscrepancyCase, Entry


def _get(queryset, pk, user, perm: str):
    if user.is_authenticated and user.is_patient:
        raise Http404("No such record.")
    try:
        obj = queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.") from None
    access.require(user, perm, obj.clinic_id)
    return obj


def get_container_for_user(user, container_id, perm: str) -> Container:
    return _get(Container.objects.select_related("product", "clinic", "receipt__supplier", "location"), container_id, user, perm)


def get_entry_for_user(user, entry_id, perm: str) -> Entry:
    return _get(Entry.objects.select_related("product", "container", "patient", "clinic", "visit"), entry_id, user, perm)


def get_count_for_user(user, count_id, perm: str) -> Count:
    return _get(Count.objects.select_related("clinic"), count_id, user, perm)


def get_case_for_user(user, case_id, perm: str) -> DiscrepancyCase:
    return _get(DiscrepancyCase.objects.select_related("count_line__product", "count_line__count", "clinic"), case_id, user, perm)
