from ketaclinic.core import nav, sections


def staff_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if user.is_patient:
        return {"portal_nav": sections.portal_nav()}
    # Banners and chart sections are rendered with the request, which runs this processor again: compute once
    # per request, and give a banner that is being rendered an empty context (no banners inside banners).
    if hasattr(request, "_staff_context"):
        return request._staff_context
    request._staff_context = {}
    clinic = request.clinic
    clinic_id = getattr(clinic, "pk", None)
    request._staff_context = {
        "active_clinic": clinic,
        "my_clinics": request.my_clinics,
        **_nav(nav.items_for(user, clinic_id)),
        "staff_banners": sections.banners.render(request, clinic_id=clinic_id),
    }
    return request._staff_context


def _nav(items: list[dict]) -> dict:
    return {"nav_items": [i for i in items if not i["more"]], "nav_more": [i for i in items if i["more"]]}
