"""Choices shared by the intake models, the forms and the API. Values match the candidacy engine's keys."""

from django.db import models

from ketaclinic.clinical import candidacy


class Route(models.TextChoices):
    IV_KETAMINE = candidacy.IV_KETAMINE, "IV ketamine"
    ESKETAMINE = candidacy.ESKETAMINE, "Esketamine (SPRAVATO) nasal spray"


# Short names for messages ("No signed candidacy decision for IV ketamine").
ROUTE_SHORT_NAMES = {Route.IV_KETAMINE: "IV ketamine", Route.ESKETAMINE: "esketamine"}


class Verdict(models.TextChoices):
    ELIGIBLE = candidacy.Verdict.ELIGIBLE.value, "Eligible"
    ELIGIBLE_WITH_CAUTIONS = candidacy.Verdict.ELIGIBLE_WITH_CAUTIONS.value, "Eligible with cautions"
    PHYSICIAN_REVIEW = candidacy.Verdict.PHYSICIAN_REVIEW.value, "Physician review"
    NOT_ELIGIBLE = candidacy.Verdict.NOT_ELIGIBLE.value, "Not eligible"


class Condition(models.TextChoices):
    MAJOR_DEPRESSION = "major-depression", "Major depression"
    BIPOLAR_DEPRESSION = "bipolar-depression", "Bipolar depression (depressed phase)"
    GENERALIZED_ANXIETY = "generalized-anxiety", "Generalized anxiety"
    PANIC_DISORDER = "panic-disorder", "Panic disorder"
    PTSD = "ptsd", "PTSD"
    OCD = "ocd", "OCD"
    CHRONIC_PAIN = "chronic-pain", "Chronic pain"
    SUICIDAL_IDEATION = "suicidal-ideation", "Suicidal thoughts"


class MoodState(models.TextChoices):
    DEPRESSED = "depressed", "Depressed"
    MANIC = "manic", "Manic"
    HYPOMANIC = "hypomanic", "Hypomanic"
    MIXED = "mixed", "Mixed"
    EUTHYMIC = "euthymic", "Euthymic (neither high nor low)"


class TrialOutcome(models.TextChoices):
    NO_RESPONSE = "no-response", "No response"
    PARTIAL_RESPONSE = "partial-response", "Partial response"
    RESPONSE = "response", "Response"
    INTOLERANCE = "intolerance", "Stopped for side effects (intolerance)"


class YesNoUnsure(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Not sure"


class Adherence(models.TextChoices):
    # ≥ 80 % of doses is a common adherence criterion: clinical.md §4.1 [UNSOURCED – common practice].
    MOST = "most", "Took at least 80% of doses"
    SOME = "some", "Took about half of the doses"
    RARELY = "rarely", "Took few of the doses"
    UNKNOWN = "unknown", "Not known"


# Medical history: the engine's HISTORY_KEYS with the words a clinician and a patient read.
HISTORY_LABELS = {
    "psychosis": ("Psychosis (hallucinations, delusions), ever", "Have you ever had psychosis (seeing or hearing things others don't, or fixed false beliefs)?"),
    "substance_use_disorder_active": ("Active substance use disorder", "Do you currently have a problem with alcohol or drugs?"),
    "aneurysmal_vascular_disease": ("Aneurysmal vascular disease (aortic, intracranial, peripheral)", "Have you been told you have an aneurysm (a bulging blood vessel)?"),
    "arteriovenous_malformation": ("Arteriovenous malformation", "Have you been told you have an arteriovenous malformation (AVM)?"),
    "intracerebral_hemorrhage": ("Intracerebral haemorrhage, ever", "Have you ever had bleeding in the brain?"),
    "ketamine_hypersensitivity": ("Hypersensitivity to ketamine or esketamine", "Have you ever had an allergic reaction to ketamine or esketamine?"),
    "unstable_cardiovascular_disease": ("Unstable cardiovascular disease (recent MI or stroke, unstable angina, decompensated heart failure)", "Do you have a heart condition that is not stable (recent heart attack or stroke, chest pain at rest, worsening heart failure)?"),
    "uncontrolled_hypertension": ("Uncontrolled hypertension", "Is your high blood pressure not under control?"),
    "brain_injury": ("Brain injury", "Have you had a brain injury?"),
    "raised_intracranial_pressure": ("Raised intracranial pressure", "Have you been told you have raised pressure inside the head?"),
    "hepatic_impairment": ("Hepatic impairment", "Do you have liver disease?"),
    "interstitial_cystitis": ("Interstitial or ulcerative cystitis", "Do you have bladder pain or interstitial cystitis?"),
}
