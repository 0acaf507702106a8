import pytest
from django.urls import reverse

from conftest import make_patient


def search(client, q):
    return client.post(reverse("patients:list"), {"q": q})


def test_it_lists_the_active_clinics_patients_only(client_for, alice, patient, pasadena_patient):
    response = client_for(alice).get(reverse("patients:list"))
    assert response.status_code == 200
    assert "Núñez" in response.text
    assert "Carla" not in response.text


@pytest.mark.parametrize(
    "query",
    ["nunez", "NÚÑ", "pat", "patricia núñez", "01/02/1980", "1980-01-02", "WS000001", "310 555 0001", "(310) 555-0001"],
)
def test_it_finds_a_patient_by_name_dob_mrn_or_phone(client_for, alice, patient, other_patient, query):
    response = search(client_for(alice), query)
    assert "Núñez" in response.text
    assert "Oliver" not in response.text


def test_it_says_when_nothing_matches(client_for, alice, patient):
    response = search(client_for(alice), "zzz")
    assert "No patient matches" in response.text


def test_it_shows_an_empty_state_for_a_new_clinic(client_for, alice):
    assert "No patients registered" in client_for(alice).get(reverse("patients:list")).text


def test_it_never_returns_another_clinics_patient_from_search(client_for, charlie, patient):
    response = search(client_for(charlie), "nunez")
    assert "Núñez" not in response.text


def test_it_ignores_search_terms_in_the_url_so_none_are_ever_linked(client_for, alice, patient, other_patient):
    text = client_for(alice).get(reverse("patients:list") + "?q=nunez").text
    assert "Oliver" in text and 'value="nunez"' not in text


def test_it_answers_htmx_with_the_results_only(client_for, alice, patient):
    response = client_for(alice).post(reverse("patients:list"), {"q": "nunez"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.text and "Núñez" in response.text


def test_it_paginates(client_for, alice, westside):
    for n in range(1, 31):
        make_patient(westside, n)
    client = client_for(alice)
    first = client.get(reverse("patients:list"))
    assert "Page 1 of 2" in first.text
    second = client.post(reverse("patients:list"), {"q": "", "page": 2})
    assert "Page 2 of 2" in second.text


def test_patients_and_strangers_cannot_open_the_staff_list(client, client_for, pat):
    assert client.get(reverse("patients:list")).status_code == 302
    assert client_for(pat).get(reverse("patients:list")).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_a_constant_number_of_queries(client_for, alice, westside, rows, django_assert_num_queries):
    for n in range(1, rows + 1):
        make_patient(westside, n)
    client = client_for(alice)
    # session, user, portal account?, memberships, my clinics, count, page, the staff banners (open safety tasks,
    # vital-sign alerts waiting, serious adverse events to report), and the session's save (3)
    with django_assert_num_queries(13):
        assert client.get(reverse("patients:list")).status_code == 200
