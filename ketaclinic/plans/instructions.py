"""How to prepare for a visit, in the patient's language (English or Spanish).

Sources (shared/reference/clinical.md):
- esketamine: avoid food for ≥2 hours and liquids for ≥30 minutes before a dose (§3.3 [20]); monitoring
  for at least 2 hours (§3.5 [20]); no driving or machinery until the next day after a restful sleep (§3.5 [21]).
- IV ketamine: the clinic's own fasting rule (§0b: "fasting for a few hours", hours not given: a clinic
  setting); 30–60 minutes of observation (§0b); a responsible adult takes the patient home and no driving
  until the next day (§0b, §1.4 [UNVERIFIED for APA], §2.1 Ketalar: no driving for 24 hours or more).
"""

from ketaclinic.plans.models import ESKETAMINE_FASTING_FOOD_H, ESKETAMINE_FASTING_LIQUIDS_MIN, Route

LINES = {
    "en": {
        "esk_food": "Do not eat for {food_h} hours before your visit (it can cause nausea).",
        "esk_liquids": "Do not drink anything for {liquids_min} minutes before your visit.",
        "esk_stay": "You will stay with us for at least 2 hours after the dose while we watch your blood pressure and how you feel.",
        "iv_food": "Do not eat for {food_h} hours before your infusion.",
        "iv_liquids": "Do not drink anything for {liquids_h} hours before your infusion.",
        "iv_stay": "After the infusion you will rest with us for 30 to 60 minutes.",
        "ride": "Arrange for an adult to take you home: you may not leave alone.",
        "no_driving": "Do not drive or operate machinery until the next day, after a restful sleep.",
        "session": "No special preparation is needed. Bring any notes you want to talk about.",
    },
    "es": {
        "esk_food": "No coma nada durante las {food_h} horas antes de su cita (puede causar náuseas).",
        "esk_liquids": "No beba nada durante los {liquids_min} minutos antes de su cita.",
        "esk_stay": "Se quedará con nosotros al menos 2 horas después de la dosis mientras vigilamos su presión arterial y cómo se siente.",
        "iv_food": "No coma nada durante las {food_h} horas antes de su infusión.",
        "iv_liquids": "No beba nada durante las {liquids_h} horas antes de su infusión.",
        "iv_stay": "Después de la infusión descansará con nosotros de 30 a 60 minutos.",
        "ride": "Pida a un adulto que le lleve a casa: no puede irse solo/a.",
        "no_driving": "No maneje ni use maquinaria hasta el día siguiente, después de dormir bien.",
        "session": "No necesita ninguna preparación especial. Traiga las notas de lo que quiera conversar.",
    },
}


def language(patient) -> str:
    return patient.preferred_language if patient.preferred_language in LINES else "en"


def preparation(appointment, scheduling, lang: str) -> list[str]:
    """The numbered instructions for one visit. ``scheduling`` is the clinic's ClinicScheduling."""
    text = LINES.get(lang, LINES["en"])
    if not appointment.is_dose:
        return [text["session"]]
    if appointment.route == Route.ESKETAMINE:
        lines = [
            text["esk_food"].format(food_h=ESKETAMINE_FASTING_FOOD_H),
            text["esk_liquids"].format(liquids_min=ESKETAMINE_FASTING_LIQUIDS_MIN),
            text["esk_stay"],
        ]
    else:
        lines = [
            text["iv_food"].format(food_h=scheduling.iv_fasting_food_h),
            text["iv_liquids"].format(liquids_h=scheduling.iv_fasting_liquids_h),
            text["iv_stay"],
        ]
    return lines + [text["ride"], text["no_driving"]]
