"""Who may see and do what, per clinic. Every view and endpoint asks here; nothing else decides.

Another clinic's record answers 404 (its existence is not disclosed); a record the user may see but not
change answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ketaclinic.accounts.models import Clinic, Membership, User
from ketaclinic.accounts.roles import Role, role_allows

_CACHE_ATTR = "_ketaclinic_roles_by_clinic"


def roles_by_clinic(user: User) -> dict[int, frozenset[str]]:
    """{clinic_id: roles} for a staff user, computed once per request (one or two queries)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    network_ids: set[int] = set()
    for m in Membership.objects.filter(user=user).select_related("clinic").only("role", "clinic__network_id"):
        roles.setdefault(m.clinic_id, set()).add(m.role)
        if m.role == Role.NETWORK_ADMIN:
            network_ids.add(m.clinic.network_id)
    if network_ids:  # a network admin acts as one in every clinic of the network, new ones included
        for clinic_id in Clinic.objects.filter(network_id__in=network_ids).values_list("pk", flat=True):
            roles.setdefault(clinic_id, set()).add(Role.NETWORK_ADMIN)
    result = {clinic_id: frozenset(r) for clinic_id, r in roles.items()}
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_roles(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_staff_member(user: User) -> bool:
    return bool(roles_by_clinic(user))


def clinic_ids(user: User, perm: str | None = None) -> list[int]:
    return sorted(
        cid for cid, roles in roles_by_clinic(user).items() if perm is None or any(role_allows(r, perm) for r in roles)
    )


def can(user: User, perm: str, clinic_id: int | None) -> bool:
    return any(role_allows(r, perm) for r in roles_by_clinic(user).get(clinic_id, ()))


def require(user: User, perm: str, clinic_id: int | None) -> None:
    """404 when the user has no role at the clinic at all, 403 when their role does not allow ``perm``."""
    if clinic_id not in roles_by_clinic(user):
        raise Http404("No such record.")
    if not can(user, perm, clinic_id):
        raise PermissionDenied(f"Your role does not allow this ({perm}).")


def get_clinic_for_user(user: User, clinic_id: int, perm: str | None = None) -> Clinic:
    try:
        clinic = Clinic.objects.get(pk=clinic_id)
    except (Clinic.DoesNotExist, ValueError, TypeError):
        raise Http404("No such clinic.") from None
    if perm is None:
        if clinic.pk not in roles_by_clinic(user):
            raise Http404("No such clinic.")
    else:
        require(user, perm, clinic.pk)
    return clinic


def clinics_for_user(user: User):
    return Clinic.objects.filter(pk__in=clinic_ids(user)).order_by("name")
