from django.utils.functional import SimpleLazyObject

from ketaclinic.accounts import access

SESSION_CLINIC_KEY = "active_clinic_id"


def _my_clinics(request) -> list:
    if not request.user.is_authenticated:
        return []
    return list(access.clinics_for_user(request.user))


def _active_clinic(request):
    clinics = request.my_clinics
    if not clinics:
        return None
    wanted = request.session.get(SESSION_CLINIC_KEY)
    return next((c for c in clinics if c.pk == wanted), clinics[0])


class ActiveClinicMiddleware:
    """Sets ``request.clinic``, the clinic a staff member works in now (the switcher's choice), and
    ``request.my_clinics``, every clinic they may switch to. Both are computed on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.my_clinics = SimpleLazyObject(lambda: _my_clinics(request))
        request.clinic = SimpleLazyObject(lambda: _active_clinic(request))
        return self.get_response(request)
