"""Registries that let each area of the clinic add to shared pages without editing them.

- ``chart``: sections of the staff patient chart. ``context(request, patient)`` returns a dict to render the
  section's template with, or None to leave the section out (no empty sections for features with no data).
- ``portal``: sections of the patient's portal home, same contract.
- ``banners``: staff-wide banners (urgent safety tasks...). ``context(request)`` returns a dict or None.
- ``portal_nav``: links in the portal's navigation.

Register from your AppConfig.ready(). A section is shown only when the user may ``perm`` at the patient's clinic.
"""

from dataclasses import dataclass
from typing import Callable

from django.template.loader import render_to_string
from django.urls import reverse

from ketaclinic.accounts import access


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable
    order: int
    perm: str | None


class _Registry:
    def __init__(self):
        self._sections: list[Section] = []

    def register(self, key: str, template: str, context: Callable, *, order: int = 50, perm: str | None = None):
        if any(s.key == key for s in self._sections):
            return
        self._sections.append(Section(key, template, context, order, perm))
        self._sections.sort(key=lambda s: (s.order, s.key))

    def render(self, request, *args, clinic_id: int | None = None) -> list[str]:
        html = []
        for section in self._sections:
            if section.perm and not access.can(request.user, section.perm, clinic_id):
                continue
            context = section.context(request, *args)
            if context is not None:
                html.append(render_to_string(section.template, context, request=request))
        return html


chart = _Registry()
portal = _Registry()
banners = _Registry()

_PORTAL_NAV: list[tuple[int, str, str]] = []


def register_portal_nav(label: str, url_name: str, *, order: int = 50) -> None:
    if all(u != url_name for _, _, u in _PORTAL_NAV):
        _PORTAL_NAV.append((order, label, url_name))
        _PORTAL_NAV.sort()


def portal_nav() -> list[dict]:
    return [{"label": label, "url": reverse(url_name)} for _, label, url_name in _PORTAL_NAV]
