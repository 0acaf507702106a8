"""The staff navigation: every page a role may use, the daily ones in the bar and the rest under "More"."""

import re

from django.urls import reverse

from conftest import make_staff
from ketaclinic.accounts.roles import Role


def _bar_and_more(html: str) -> tuple[list[str], list[str]]:
    nav = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    bar, _, more = nav.partition('<details class="nav-more">')
    links = lambda part: re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', part)  # noqa: E731
    return links(bar), links(more)


def test_a_physician_has_the_daily_pages_in_the_bar_and_the_rest_under_more(client_for, alice):
    bar, more = _bar_and_more(client_for(alice).get(reverse("patients:list")).content.decode())
    assert bar == ["Patients", "Today", "Floor", "Requests", "Candidacy", "Ledger", "Safety tasks"]
    assert more == ["REMS forms", "Adverse events", "Outcomes", "Protocols", "Clinic set-up"]


def test_a_clinic_admin_finds_the_audit_log_and_the_reviews_under_more(client_for, admin):
    bar, more = _bar_and_more(client_for(admin).get(reverse("patients:list")).content.decode())
    assert "Audit log" in more and "Reviews" in more and "Directory listing" in more
    assert "Audit log" not in bar and "Patients" in bar


def test_the_menu_is_left_out_when_a_role_has_nothing_under_it(client_for, westside):
    billing = make_staff("nguyen", westside, Role.BILLING)
    html = client_for(billing).get(reverse("patients:list")).content.decode()
    assert _bar_and_more(html) == (["Patients", "Ledger", "Billing"], [])
    assert "nav-more" not in html
