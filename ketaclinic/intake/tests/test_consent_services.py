"""Informed consent: typed name, time and text version, only for a route a signed decision approves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.intake import consent_texts, services
from ketaclinic.intake.models import InformedConsent
from ketaclinic.intake.tests.conftest import consent, sign, submitted_intake

IV = "iv-ketamine"
PORTAL = InformedConsent.Where.PORTAL


def sign_with(patient, user, route=IV, **changes):
    data = dict(route=route, typed_name="Patricia Núñez", agreed=True, text_version=consent_texts.current(route).version,
                where=PORTAL, acting_user=user)
    return services.sign_consent(patient, **(data | changes))


def errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.fixture
def decided(patient, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    return patient


def test_the_patient_signs_with_their_typed_name_and_the_text_version(decided, pat):
    signed = sign_with(decided, pat, typed_name="  patricia   NUNEZ ")
    text = consent_texts.current(IV)
    assert (signed.text_version, signed.text_sha256, signed.typed_name) == (text.version, text.sha256, "patricia NUNEZ")
    assert signed.signed_by == pat and signed.where == "portal" and signed.decision.version == 1
    assert AuditEvent.objects.get(object_type="informed_consent").actor == pat


def test_no_consent_without_a_signed_decision_that_approves_the_route(patient, pat, bob, alice):
    assert "route" in errors(lambda: sign_with(patient, pat))
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    assert errors(lambda: sign_with(patient, pat, route="esketamine"))["route"] == [
        "No signed candidacy decision approves esketamine yet."]


@pytest.mark.parametrize("changes, field", [
    ({"typed_name": "Pat Núñez"}, "typed_name"), ({"typed_name": ""}, "typed_name"),
    ({"agreed": False}, "agreed"), ({"text_version": "iv-ketamine-2025.1"}, "text_version"),
])
def test_a_signature_must_be_complete_and_on_the_current_text(decided, pat, changes, field):
    assert field in errors(lambda: sign_with(decided, pat, **changes))
    assert not InformedConsent.objects.exists()


def test_a_patient_signs_only_their_own_consent_in_the_portal(decided, quinn, bob):
    with pytest.raises(PermissionDenied):
        sign_with(decided, quinn)
    with pytest.raises(PermissionDenied):
        sign_with(decided, bob)  # staff record a signature made at the clinic, not a portal one


def test_staff_record_a_signature_made_at_the_clinic(decided, bob, charlie):
    assert sign_with(decided, bob, where="clinic").where == "clinic"
    from django.http import Http404

    with pytest.raises(Http404):
        sign_with(decided, charlie, where="clinic", route=IV)


def test_the_same_text_is_not_signed_twice(decided, pat):
    consent(decided, pat, IV)
    assert errors(lambda: consent(decided, pat, IV))["route"] == ["Consent for IV ketamine is already signed."]


def test_a_withdrawal_is_a_new_record_and_the_patient_may_sign_again(decided, pat, quinn):
    signed = consent(decided, pat, IV)
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(signed, reason="", acting_user=quinn)
    services.withdraw_consent(signed, reason="Need time to think.", acting_user=pat)
    signed.refresh_from_db()
    assert signed.is_withdrawn and signed.withdrawal.reason == "Need time to think."
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_consent(signed, reason="", acting_user=pat)
    assert consent(decided, pat, IV).pk != signed.pk
    with pytest.raises(PermissionError):
        signed.save()


def test_consent_texts_are_plain_words_with_versions_and_stable_digests():
    for route, text in consent_texts.CURRENT.items():
        assert text.route == route and text.version.startswith(route + "-")
        assert consent_texts.VERSIONS[text.version] is text
        assert len(text.sha256) == 64 and text.sha256 == consent_texts.current(route).sha256
        assert "withdraw" in text.plain_text and "988" in text.plain_text
    assert "2 hours" in consent_texts.current("esketamine").plain_text
    assert "0.5 mg for each kilogram" in consent_texts.current(IV).plain_text
