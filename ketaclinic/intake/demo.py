"""Demo seed: Westside patients at every stage of intake and candidacy, and requests in the front desk's queue.

Idempotent: a patient who already has an intake, or a request already in the queue, is left as it is.
All names are the foundation's clearly synthetic demo names.
"""

from ketaclinic.intake import baseline, consent_texts, services
from ketaclinic.intake.models import ConsultationRequest, InformedConsent, Intake

TRIALS = {
    "sertraline": {"drug": "sertraline", "dose_mg_per_day": 150, "weeks": 10, "adequate_dose": "yes", "adherence": "most",
                   "outcome": "no-response"},
    "escitalopram": {"drug": "escitalopram", "dose_mg_per_day": 20, "weeks": 8, "adequate_dose": "yes", "adherence": "most",
                     "outcome": "partial-response"},
    "bupropion": {"drug": "bupropion", "dose_mg_per_day": 300, "weeks": 3, "adequate_dose": "yes", "adherence": "some",
                  "outcome": "intolerance"},
}
# Baseline scales entered at intake (item 9 of the PHQ-9 at 0: no safety task in the demo's background).
BASELINE_ANSWERS = {"PHQ-9": [2, 2, 2, 2, 1, 2, 1, 1, 0], "GAD-7": [2, 1, 2, 1, 1, 1, 1]}
BASE = {"conditions": ["major-depression"], "current_mood_state": "depressed", "psychotherapy_tried": True,
        "psychotherapy_history": "CBT weekly for 6 months (2024).", "no_known_allergies": True}

# index into the Westside patients → (answers, trials, medications, vitals, decisions, consent routes)
STAGES = {
    1: dict(answers={"conditions": ["major-depression"]}, submit=False),
    2: dict(trials=["sertraline", "escitalopram"], vitals=(122, 78)),
    3: dict(trials=["sertraline", "escitalopram"], vitals=(150, 92), medications=["lorazepam 0.5 mg"]),
    4: dict(trials=["sertraline", "escitalopram"], vitals=(118, 76), decisions=[("both", "")], consents=["iv-ketamine", "esketamine"]),
    5: dict(answers={"conditions": ["ptsd"]}, trials=["sertraline", "escitalopram"], vitals=(128, 84),
            decisions=[("iv", "")], consents=["iv-ketamine"]),
    6: dict(answers={"conditions": ["major-depression", "suicidal-ideation"]}, trials=["sertraline", "bupropion"],
            vitals=(124, 80), decisions=[("esketamine", "")], consents=["esketamine"]),
    7: dict(answers={"history": {"psychosis": True}}, trials=["sertraline", "escitalopram"], vitals=(120, 80),
            decisions=[("neither", "")]),
    8: dict(answers={"history": {"brain_injury": True}}, trials=["sertraline", "escitalopram"], vitals=(126, 82),
            decisions=[("iv", "")]),
    9: dict(trials=["sertraline", "escitalopram"], vitals=(132, 84), decisions=[("both", ""), ("iv", "Patient declined the nasal spray after the REMS talk.")],
            consents=["iv-ketamine"]),
    0: dict(trials=["sertraline", "escitalopram"], vitals=(120, 78), decisions=[("both", "")]),  # the portal demo patient
}
QUEUE = [
    dict(first_name="Jordan", last_name="Testwood", phone="+1 310 555 0142", contact_method="phone", best_time="morning",
         self_screen_outcome="worth-consultation", self_screen_phq9_total=17, message="Two antidepressants haven't helped."),
    dict(first_name="Lucia", last_name="Ejemplo", phone="+1 213 555 0177", contact_method="text", best_time="evening",
         language="es", self_screen_outcome="worth-consultation", self_screen_phq9_total=14),
    dict(first_name="Sam", last_name="Placeholder", email="sam.placeholder@example.com", contact_method="email",
         best_time="any", self_screen_outcome="crisis", self_screen_phq9_total=21),
    dict(first_name="Robin", last_name="Mockley", phone="+1 424 555 0108", contact_method="phone", best_time="afternoon",
         message="Asking for my partner; is esketamine covered by insurance?"),
]


def seed_intake_stages(context: dict) -> None:
    users = context["users"]
    westside = [p for p in context["patients"] if p.clinic_id == context["clinics"]["WS"].pk]
    for index, spec in STAGES.items():
        if index < len(westside) and not Intake.objects.filter(patient=westside[index]).exists():
            _seed_patient(westside[index], spec, nurse=users["nurse.kim"], physician=users["dr.reyes"])
    _seed_queue(context["clinics"]["WS"], users["frontdesk.ortiz"])


def _seed_patient(patient, spec, *, nurse, physician) -> None:
    intake = services.start_intake(patient, acting_user=nurse)
    answers = {**BASE, **spec.get("answers", {})}
    if spec.get("vitals"):
        answers.update(screening_bp_systolic_mmhg=spec["vitals"][0], screening_bp_diastolic_mmhg=spec["vitals"][1],
                       screening_heart_rate_bpm=72, screening_spo2_pct=98)
    services.update_intake(intake, data=answers, acting_user=nurse)
    for name in spec.get("trials", []):
        services.add_item(intake, "trial", data=TRIALS[name], acting_user=nurse)
    for name in spec.get("medications", []):
        services.add_item(intake, "medication", data={"name": name.split()[0], "dose": " ".join(name.split()[1:])},
                          acting_user=nurse)
    if spec.get("submit", True):
        for code, answers in BASELINE_ANSWERS.items():
            baseline.record_baseline(intake, code, answers, acting_user=nurse, entered_by_patient=False)
        services.submit_intake(intake, acting_user=nurse)
    for decision, amendment in spec.get("decisions", []):
        evaluation = services.latest_evaluation(patient)
        overrides = services.overridden_routes(evaluation, decision)
        services.sign_decision(
            patient, evaluation=evaluation, decision=decision, acting_user=physician,
            note="Reviewed history, trials and screening vitals with the patient; risks and benefits discussed.",
            override_reason="Physician judgement after the consultation." if overrides else "",
            amendment_reason=amendment, supersedes=services.current_decision(patient))
    for route in spec.get("consents", []):
        services.sign_consent(patient, route=route, typed_name=f"{patient.legal_first_name} {patient.legal_last_name}",
                              agreed=True, text_version=consent_texts.current(route).version,
                              where=InformedConsent.Where.CLINIC, acting_user=nurse)


def _seed_queue(clinic, front_desk) -> None:
    for n, spec in enumerate(QUEUE):
        if ConsultationRequest.objects.filter(clinic=clinic, first_name=spec["first_name"], last_name=spec["last_name"]).exists():
            continue
        request = services.submit_consultation_request(clinic=clinic, data=spec)
        if n == 1:
            services.record_contact(request, note="Texted; she will call back after work.", acting_user=front_desk)
