"""The SMS interface: a recording fake in tests; without a provider nothing is sent and no number is logged."""

import logging

from django.test import override_settings

from ketaclinic.plans import sms


def test_the_recording_fake_keeps_what_it_was_asked_to_send(recording_sms):
    sms.sender().send(to="+1 310 555 0101", body="Hello")
    assert [(m.to, m.body) for m in recording_sms.sent] == [("+1 310 555 0101", "Hello")]


def test_without_a_provider_nothing_leaves_and_the_log_holds_no_patient_data(caplog):
    with caplog.at_level(logging.INFO, logger="ketaclinic.plans.sms"):
        sms.sender().send(to="+1 310 555 0101", body="Your visit on Monday")
    assert "555" not in caplog.text and "Monday" not in caplog.text and "no provider" in caplog.text


@override_settings(SMS_BACKEND="ketaclinic.plans.sms.RecordingSms")
def test_a_provider_is_chosen_by_setting():
    assert isinstance(sms.sender(), sms.RecordingSms)
