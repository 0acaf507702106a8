"""The informed-consent texts, in plain words, versioned. A signed consent stores the version and a digest
of the exact text, so what a patient agreed to can always be shown again.

Never edit a published version: add a new one (``-2026.2``) and make it current. Facts and numbers are from
shared/reference/clinical.md (sections named beside each text); a clinic's physician reviews them before use.
"""

import hashlib
from dataclasses import dataclass

from ketaclinic.intake.models import Route


@dataclass(frozen=True)
class ConsentText:
    route: str
    version: str
    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs)

    @property
    def plain_text(self) -> str:
        parts = [self.title]
        for heading, paragraphs in self.sections:
            parts.append(heading)
            parts.extend(paragraphs)
        return "\n\n".join(parts)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.plain_text.encode("utf-8")).hexdigest()


_ENDING = (
    ("Your choices", (
        "Taking part is your choice. You can ask questions at any time, and you can stop treatment or withdraw "
        "this consent at any time, in the portal or by telling the clinic. Stopping does not change the other care "
        "you get from us.",
        "Other treatments exist: other antidepressant medicines, psychotherapy, transcranial magnetic stimulation "
        "(TMS) and electroconvulsive therapy (ECT). Your physician can talk them through with you.",
    )),
    ("In an emergency", (
        "If you have thoughts of hurting yourself, call or text 988 (Suicide & Crisis Lifeline) or call 911. "
        "Ketamine treatment is not an emergency service.",
    )),
    ("Signing", (
        "By typing your full legal name below you confirm that you have read this, that your questions were "
        "answered, and that you agree to this treatment. The date and time are recorded with your name.",
    )),
)

# clinical.md §0b, §1.1–§1.4, §2.1–§2.4, §10.
IV_KETAMINE_2026_1 = ConsentText(
    route=Route.IV_KETAMINE,
    version="iv-ketamine-2026.1",
    title="Consent to IV ketamine treatment",
    sections=(
        ("What the treatment is", (
            "Ketamine is a medicine first made for anesthesia. At low doses, given slowly into a vein, it can "
            "ease depression, sometimes within hours. Using it for depression is “off-label”: the FDA has not "
            "approved ketamine infusions for depression, but studies and professional groups support it for "
            "depression that other treatments have not helped.",
            "A usual dose is 0.5 mg for each kilogram of your body weight, over about 40 minutes. A first series "
            "is often six infusions over two to three weeks; some people later have booster infusions.",
        )),
        ("What a session is like", (
            "Do not eat for a few hours before, as the clinic tells you. A nurse places a small line in a vein. Your "
            "blood pressure, heart rate and oxygen level are checked throughout and afterwards, until you are back "
            "to your usual self.",
            "You must not drive, work machinery or make important decisions until the next day after a night's "
            "sleep. An adult must take you home.",
        )),
        ("Effects and risks", (
            "Common and short-lived: feeling floaty, dream-like or detached from your body or surroundings "
            "(dissociation), dizziness, blurred vision, nausea, and a rise in blood pressure and heart rate that "
            "usually passes within an hour or two.",
            "Less common: vomiting, headache, anxiety, vivid or unpleasant experiences, and slowed breathing. "
            "Staff and equipment are there to treat these.",
            "With repeated use over time: bladder irritation (tell us about pain or frequent urination), liver "
            "strain (we may check blood tests), and misuse or dependence. Ketamine is a controlled medicine.",
            "Benzodiazepines and some other medicines can weaken the effect or add to drowsiness; tell us about "
            "every medicine you take. Ketamine is not given in pregnancy; tell us if you are or could be pregnant.",
            "Improvement is not guaranteed and may not last; follow-up and psychotherapy help it last.",
        )),
        *_ENDING,
    ),
)

# clinical.md §3 (label, REMS, monitoring, blood pressure, driving), §2.3, §2.4.
ESKETAMINE_2026_1 = ConsentText(
    route=Route.ESKETAMINE,
    version="esketamine-2026.1",
    title="Consent to esketamine (SPRAVATO) nasal spray treatment",
    sections=(
        ("What the treatment is", (
            "Esketamine is a form of ketamine taken as a nasal spray. The FDA has approved it for adults with "
            "depression that has not improved with at least two antidepressants, and for depression with "
            "suicidal thoughts or actions, together with an antidepressant taken by mouth. It has not been shown "
            "to prevent suicide.",
            "You spray it yourself at the clinic, with a clinician watching: one device is 28 mg, and a dose is "
            "two or three devices, five minutes apart. At first it is usually twice a week for four weeks, then "
            "once a week, then every week or two.",
        )),
        ("The safety program (REMS)", (
            "Esketamine is only given in certified clinics under an FDA safety program called the SPRAVATO REMS. "
            "You will be enrolled in it before your first dose. You never take esketamine home.",
            "After every dose you stay at the clinic for at least 2 hours, and until you are ready to leave. Your "
            "blood pressure is checked before the dose, about 40 minutes after it, and before you go; your oxygen "
            "level is watched too.",
        )),
        ("Before each session", (
            "Do not eat for 2 hours and do not drink for 30 minutes before. If you use a nasal steroid or "
            "decongestant spray, use it at least 1 hour before.",
            "You must not drive or work machinery until the next day after a restful sleep. Arrange a ride home.",
        )),
        ("Effects and risks", (
            "Common: feeling sleepy or sedated, feeling detached or dream-like (dissociation), dizziness, nausea, "
            "a strange taste, and a rise in blood pressure that peaks around 40 minutes and usually settles within "
            "a few hours.",
            "Serious but uncommon: slowed or shallow breathing, a large rise in blood pressure, and loss of "
            "consciousness. This is why you are watched for 2 hours. Tell staff at once about chest pain, "
            "shortness of breath, a sudden severe headache or changes in vision.",
            "Other risks: misuse or dependence (it is a controlled medicine), bladder problems, effects on thinking, "
            "and harm to an unborn baby. Tell us if you are or could be pregnant, and about every medicine you "
            "take, especially sedatives, stimulants, MAO inhibitors and pain medicines.",
            "Improvement is not guaranteed; your physician will check at the end of the first four weeks whether "
            "to continue.",
        )),
        *_ENDING,
    ),
)

VERSIONS = {text.version: text for text in (IV_KETAMINE_2026_1, ESKETAMINE_2026_1)}
CURRENT = {Route.IV_KETAMINE: IV_KETAMINE_2026_1, Route.ESKETAMINE: ESKETAMINE_2026_1}


def current(route: str) -> ConsentText:
    return CURRENT[route]
