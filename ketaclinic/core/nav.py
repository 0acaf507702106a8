"""The staff navigation, assembled from what each app registers in its AppConfig.ready().

    nav.register("Floor", "plans:floor", perm=Perm.CLINICAL_VIEW, order=20)
    nav.register("Protocols", "plans:protocols", perm=Perm.PROTOCOL_EDIT, order=70, more=True)

An item shows when the user's role at the active clinic allows ``perm`` (None: every staff member). Pages used
every day stay in the bar; ``more=True`` puts a weekly or set-up page under "More", so a physician's bar fits on
one line of a tablet instead of three.
"""

from dataclasses import dataclass

from django.urls import reverse

from ketaclinic.accounts import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None
    order: int
    more: bool = False


_ITEMS: list[NavItem] = []


def register(label: str, url_name: str, *, perm: str | None = None, order: int = 50, more: bool = False) -> None:
    if any(item.url_name == url_name for item in _ITEMS):
        return
    _ITEMS.append(NavItem(label, url_name, perm, order, more))
    _ITEMS.sort(key=lambda item: (item.order, item.label))


def items_for(user, clinic_id: int | None) -> list[dict]:
    return [
        {"label": item.label, "url": reverse(item.url_name), "more": item.more}
        for item in _ITEMS
        if item.perm is None or access.can(user, item.perm, clinic_id)
    ]
