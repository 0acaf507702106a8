from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access, services
from ketaclinic.accounts.models import Network
from ketaclinic.accounts.roles import Perm, Role
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS, ClinicIn, ClinicOut, ClinicPatch

router = Router(tags=["clinics"])


@router.get("", response={200: list[ClinicOut], **ERRORS}, summary="Clinics you work at")
@paginate(Pagination)
def list_clinics(request):
    personal_only(request)
    return access.clinics_for_user(request.user)


@router.get("/{clinic_id}", response={200: ClinicOut, **ERRORS})
def read_clinic(request, clinic_id: int):
    personal_only(request)
    return access.get_clinic_for_user(request.user, clinic_id)


@router.post("", response={201: ClinicOut, **WRITE_ERRORS}, summary="Add a clinic to your network (network admins)")
def create_clinic(request, payload: ClinicIn):
    personal_only(request)
    network = _network_for_new_clinic(request.user, payload.network_id)
    data = payload.dict(exclude_unset=True, exclude={"network_id"})
    clinic = services.create_clinic(network=network, data=data, acting_user=request.user)
    access.forget_roles(request.user)
    return Status(201, clinic)


@router.patch("/{clinic_id}", response={200: ClinicOut, **WRITE_ERRORS})
def update_clinic(request, clinic_id: int, payload: ClinicPatch):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, clinic_id, Perm.CLINIC_EDIT)
    return services.update_clinic(clinic, data=payload.dict(exclude_unset=True), acting_user=request.user)


def _network_for_new_clinic(user, network_id: int | None) -> Network:
    ids = access.clinic_ids(user, Perm.CLINIC_CREATE)
    networks = Network.objects.filter(clinics__pk__in=ids).distinct()
    if network_id is not None:
        networks = networks.filter(pk=network_id)
    found = list(networks[:2])
    if not found:
        if access.is_staff_member(user) and network_id is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(f"Only a {Role.NETWORK_ADMIN.label.lower()} may add clinics.")
        raise Http404("No such network.")
    if len(found) > 1:
        from django.core.exceptions import ValidationError

        raise ValidationError({"network_id": "You administer several networks: say which one."})
    return found[0]
