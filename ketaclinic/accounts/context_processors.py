from ketaclinic.core import nav


def staff_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_patient:
        return {}
    clinic = request.clinic
    clinic_id = getattr(clinic, "pk", None)
    return {"active_clinic": clinic, "my_clinics": request.my_clinics, "nav_items": nav.items_for(user, clinic_id)}
