from ketaclinic.core import nav, sections


def staff_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if user.is_patient:
        return {"portal_nav": sections.portal_nav()}
    clinic = request.clinic
    clinic_id = getattr(clinic, "pk", None)
    return {
        "active_clinic": clinic,
        "my_clinics": request.my_clinics,
        "nav_items": nav.items_for(user, clinic_id),
        "staff_banners": sections.banners.render(request, clinic_id=clinic_id),
    }
