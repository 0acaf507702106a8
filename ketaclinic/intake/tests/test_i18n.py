"""English and Spanish for the public pages; the translation keys stay in step with the clinical core."""

import pytest
from django.core.cache import cache
from django.utils import translation

from ketaclinic.clinical import candidacy, selfscreen
from ketaclinic.clinical.candidacy.rules import HISTORY_RULES, RULES
from ketaclinic.clinical.instruments import phq9
from ketaclinic.intake.phq9_i18n import PHQ9_STEM, PHQ9_WORDING, SEVERITY
from ketaclinic.intake.plain_texts import PLAIN_TEXTS, plain_text
from ketaclinic.intake.tests.public_helpers import screen_post


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_the_phq9_translation_keys_are_the_instruments_wording():
    assert PHQ9_WORDING == tuple(item.wording for item in phq9.ITEMS)
    assert PHQ9_STEM == phq9.STEM
    assert set(SEVERITY) == {band.label for band in phq9.BANDS}


def test_every_rule_has_a_translatable_plain_text_equal_to_the_engines_english():
    # The blood-pressure rules need the reading, which the public self-screen never asks: they keep the
    # engine's English (staff pages show the clinician text anyway).
    reachable = {rule.rule_id for rule in RULES} - {"bp-uncontrolled", "bp-elevated"}
    assert set(PLAIN_TEXTS) == reachable | {r.rule_id for r in HISTORY_RULES.values()}
    protocol = candidacy.DEFAULT_PROTOCOL
    details = {"age_years": 17, "min_age_years": 18, "mood": "manic", "trials": "t", "min_failed_trials": 2,
               "min_trial_weeks": 6, "conditions": "PTSD, OCD", "why": "w"}
    with translation.override("en"):
        for rule in RULES:
            if rule.rule_id not in reachable:
                continue
            reason = rule.reason(**{k: v for k, v in details.items() if "{" + k + "}" in rule.text + rule.plain_text})
            assert plain_text(reason, protocol=protocol, conditions=["ptsd", "ocd"]) == reason.plain_text, rule.rule_id


def test_the_self_screen_reads_in_spanish_with_the_spanish_phq9(client, db):
    text = client.get("/intake/self-screen/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Soy candidato(a) para el tratamiento con ketamina?" in text
    assert "Poco interés o placer en hacer cosas" in text
    assert "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera" in text
    assert "Más de la mitad de los días" in text
    assert "al menos 6 semanas" in text


def test_the_spanish_result_explains_in_spanish(client, db):
    text = client.post("/intake/self-screen/", screen_post(flags=["pregnant"]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Hable primero con su médico" in text
    assert "La ketamina no se da durante el embarazo." in text
    assert "suman 16 de 27" in text and "Moderadamente grave" in text  # 16 is in the 15–19 band


def test_the_spanish_crisis_box(client, db):
    text = client.post("/intake/self-screen/", screen_post(phq9_9="2"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Por favor, busque apoyo ahora" in text and "Llamar al 988" in text


def test_the_consultation_form_in_spanish_names_the_field(client, westside):
    from ketaclinic.intake.tests.public_helpers import consultation_post

    response = client.post("/intake/consultation/", consultation_post(westside, agree_to_contact=""),
                           HTTP_ACCEPT_LANGUAGE="es")
    assert "Marque esta casilla para que la clínica pueda contactarle." in response.content.decode()


def test_plain_texts_in_spanish_fill_the_protocol_numbers():
    result = selfscreen.self_screen(selfscreen.SelfScreenAnswers(True, (1,) * 8 + (0,), frozenset({"major-depression"}), 1, True))
    with translation.override("es"):
        texts = [plain_text(r, protocol=candidacy.DEFAULT_PROTOCOL) for r in result.concerns]
    assert "La ketamina se usa sobre todo cuando al menos 2 antidepresivos no han ayudado; un médico revisará sus antecedentes." in texts
