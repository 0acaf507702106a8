from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ketaclinic.accounts import access


def staff_required(view):
    """Signed-in staff with a role at some clinic; patients and strangers get 404, as for any foreign page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_patient or not access.is_staff_member(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def patient_required(view):
    @login_required(login_url="portal:sign_in")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_patient:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
