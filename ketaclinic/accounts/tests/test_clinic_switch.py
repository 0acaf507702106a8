from django.urls import reverse

from conftest import make_patient
from ketaclinic.accounts.models import Membership
from ketaclinic.accounts.roles import Role


def test_a_member_of_two_clinics_switches_between_them(client_for, alice, westside, network, patient):
    from conftest import make_clinic

    eastside = make_clinic(network, "Eastside", "ES")
    make_patient(eastside, 7, legal_last_name="Eastsider")
    Membership.objects.create(user=alice, clinic=eastside, role=Role.PHYSICIAN)
    client = client_for(alice)
    client.post(reverse("accounts:switch_clinic"), {"clinic_id": westside.pk})
    page = client.get(reverse("patients:list")).text
    assert "Núñez" in page and 'name="clinic_id"' in page
    response = client.post(reverse("accounts:switch_clinic"), {"clinic_id": eastside.pk, "next": "/patients/"})
    assert response["Location"] == "/patients/"
    page = client.get(reverse("patients:list")).text
    assert "Eastsider" in page and "Núñez" not in page


def test_switching_to_a_clinic_you_do_not_work_at_is_404(client_for, alice, pasadena):
    response = client_for(alice).post(reverse("accounts:switch_clinic"), {"clinic_id": pasadena.pk})
    assert response.status_code == 404


def test_it_never_redirects_off_site(client_for, alice, westside):
    response = client_for(alice).post(reverse("accounts:switch_clinic"), {"clinic_id": westside.pk, "next": "//evil.example"})
    assert response["Location"] == reverse("patients:list")


def test_a_network_admin_reaches_every_clinic_of_their_network_only(client_for, westside, network, pasadena):
    from conftest import make_clinic, make_staff

    boss = make_staff("boss", westside, Role.NETWORK_ADMIN)
    later = make_clinic(network, "Opened later", "OL")
    client = client_for(boss)
    assert client.post(reverse("accounts:switch_clinic"), {"clinic_id": later.pk}).status_code == 302
    assert client.post(reverse("accounts:switch_clinic"), {"clinic_id": pasadena.pk}).status_code == 404
