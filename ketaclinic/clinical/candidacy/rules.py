"""Every candidacy rule: its stable id, its level, its texts and its source in clinical.md.

Texts are ``str.format`` templates; the engine fills in the details (the mood state, the reading, the
trials). Changing what a rule means is a new ``RULES_VERSION``; a rule id is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from .results import Reason, Verdict

NOT_ELIGIBLE = Verdict.NOT_ELIGIBLE
REVIEW = Verdict.PHYSICIAN_REVIEW
CAUTION = Verdict.ELIGIBLE_WITH_CAUTIONS
ELIGIBLE = Verdict.ELIGIBLE


@dataclass(frozen=True)
class Rule:
    rule_id: str
    level: Verdict
    text: str
    plain_text: str
    source: str

    def reason(self, **details) -> Reason:
        return Reason(
            rule_id=self.rule_id, level=self.level, text=self.text.format(**details), source=self.source,
            plain_text=self.plain_text.format(**details),
        )


def _history_rule(key: str, level: Verdict, text: str, plain_text: str, source: str) -> tuple[str, Rule]:
    return key, Rule("history-" + key.replace("_", "-"), level, text, plain_text, source)


# One rule per history key (both routes). The keys are intake.HISTORY_KEYS; a test keeps them in step.
HISTORY_RULES = dict([
    _history_rule(
        "psychosis", NOT_ELIGIBLE, "History of psychosis.",
        "A history of psychosis usually rules out ketamine treatment.", "clinical.md §2.2 [9][20], §0b"),
    _history_rule(
        "substance_use_disorder_active", NOT_ELIGIBLE,
        "Active substance use disorder: defer; urine toxicology if suspected.",
        "Ketamine is not started during an active substance use problem.", "clinical.md §2.2 [9], §0b"),
    _history_rule(
        "aneurysmal_vascular_disease", NOT_ELIGIBLE,
        "Aneurysmal vascular disease (aortic, intracranial or peripheral): SPRAVATO contraindication, "
        "applied to IV ketamine by analogy.",
        "An aneurysm rules out ketamine treatment, because it raises blood pressure.",
        "clinical.md §2.3 [20], §2.2"),
    _history_rule(
        "arteriovenous_malformation", NOT_ELIGIBLE,
        "Arteriovenous malformation: SPRAVATO contraindication, applied to IV ketamine by analogy.",
        "An arteriovenous malformation rules out ketamine treatment, because it raises blood pressure.",
        "clinical.md §2.3 [20], §2.2"),
    _history_rule(
        "intracerebral_hemorrhage", NOT_ELIGIBLE,
        "History of intracerebral haemorrhage: SPRAVATO contraindication, applied to IV ketamine by analogy.",
        "A past bleed in the brain rules out ketamine treatment.", "clinical.md §2.3 [20], §2.2"),
    _history_rule(
        "ketamine_hypersensitivity", NOT_ELIGIBLE,
        "Hypersensitivity to ketamine, esketamine or an excipient: contraindication.",
        "An allergy to ketamine rules out this treatment.", "clinical.md §2.1 [17], §2.3 [20]"),
    _history_rule(
        "unstable_cardiovascular_disease", NOT_ELIGIBLE,
        "Unstable cardiovascular disease: exclude until cardiology clearance.",
        "An unstable heart condition makes ketamine unsafe for now.",
        "clinical.md §1.4 [9], §2.1 [17], §2.2 (unsourced common practice)"),
    _history_rule(
        "uncontrolled_hypertension", NOT_ELIGIBLE,
        "Uncontrolled hypertension (reported): defer until controlled.",
        "Blood pressure needs to be under control before ketamine treatment.",
        "clinical.md §1.4 [9], §2.2 [9]"),
    _history_rule(
        "brain_injury", REVIEW,
        "Brain injury: a rise in blood pressure or intracranial pressure may pose a serious risk.",
        "A past brain injury needs a physician's review first.", "clinical.md §2.2 [20], §3.4 [20], §0b"),
    _history_rule(
        "raised_intracranial_pressure", REVIEW,
        "Raised intracranial pressure: do not give if a further rise poses a serious risk.",
        "Raised pressure inside the head needs a physician's review first.",
        "clinical.md §2.2 [20], §3.4 [20]"),
    _history_rule(
        "hepatic_impairment", CAUTION,
        "Hepatic impairment: baseline and periodic liver function tests with recurrent dosing.",
        "Liver problems mean extra blood tests during treatment.", "clinical.md §2.1 [17], §2.2 [17]"),
    _history_rule(
        "interstitial_cystitis", CAUTION,
        "Interstitial cystitis: ketamine can cause ulcerative/interstitial cystitis; ask about urinary "
        "symptoms.",
        "Bladder problems will be watched, because ketamine can irritate the bladder.",
        "clinical.md §2.1 [17], §2.3 [20]"),
])

AGE_BELOW_MINIMUM = Rule(
    "age-below-minimum", NOT_ELIGIBLE,
    "Age {age_years} is below the protocol minimum of {min_age_years} years.",
    "Ketamine treatment here is for adults aged {min_age_years} and over.",
    "clinical.md §3 [20] (SPRAVATO: adults); IV: clinic default, unsourced common practice")
MOOD_MANIC_OR_MIXED = Rule(
    "mood-manic-or-mixed", NOT_ELIGIBLE,
    "Current mood state is {mood}: ketamine is given only outside manic, hypomanic or mixed states.",
    "Ketamine is not given during a manic, hypomanic or mixed mood episode.",
    "clinical.md §0b, §2.2")
PREGNANCY = Rule(
    "pregnancy", NOT_ELIGIBLE,
    "Pregnancy: exclude (SPRAVATO: embryo-fetal toxicity).",
    "Ketamine is not given during pregnancy.",
    "clinical.md §2.2 [20], §1.4 [9]")
BP_UNCONTROLLED = Rule(
    "bp-uncontrolled", NOT_ELIGIBLE,
    "Screening blood pressure {systolic}/{diastolic} mmHg is at or above the hold limit "
    "{hold_systolic}/{hold_diastolic} (either number): uncontrolled hypertension, defer until controlled.",
    "Your blood pressure ({systolic}/{diastolic}) is too high for ketamine today; it needs to be brought "
    "under control first.",
    "clinical.md §1.6 (suggested pre-dose hold, unsourced common practice), §2.2 [9]")
BP_ELEVATED = Rule(
    "bp-elevated", CAUTION,
    "Screening blood pressure {systolic}/{diastolic} mmHg is above {caution_systolic}/{caution_diastolic}: "
    "weigh the risk of a short-term rise against the benefit.",
    "Your blood pressure ({systolic}/{diastolic}) is a little high; it will be checked closely.",
    "clinical.md §3.4 [20], §1.6 [20]")

IV_TRD_MAJOR_DEPRESSION = Rule(
    "iv-trd-major-depression", ELIGIBLE,
    "Treatment-resistant major depression: {trials}.",
    "Depression that has not improved with at least {min_failed_trials} antidepressants is the main reason "
    "for ketamine.",
    "clinical.md §1.4 [9], §4.1 [36], §0b")
IV_TRD_BIPOLAR_DEPRESSION = Rule(
    "iv-trd-bipolar-depression", CAUTION,
    "Treatment-resistant bipolar depression: {trials}. Only outside a manic phase, with a mood stabiliser "
    "and close monitoring for a switch.",
    "Ketamine can help the depressed phase of bipolar disorder, with a mood stabiliser and close monitoring.",
    "clinical.md §0b, §2.2 (unsourced common practice)")
IV_TRD_OTHER_CONDITION = Rule(
    "iv-trd-other-condition", CAUTION,
    "Treatment-resistant {conditions}: {trials}. Off-label; evidence is emerging.",
    "Ketamine is also used for {conditions}, but the evidence is still emerging.",
    "clinical.md §0b")
IV_NOT_TREATMENT_RESISTANT = Rule(
    "iv-not-treatment-resistant", REVIEW,
    "Not treatment-resistant: {trials}. A trial counts when it lasted at least {min_trial_weeks} weeks at an "
    "adequate dose and ended in no or partial response; intolerance does not count.",
    "Ketamine is mostly used after at least {min_failed_trials} antidepressants have not helped; a physician "
    "will review your history.",
    "clinical.md §4.1 [36], §0b")
IV_NO_LISTED_CONDITION = Rule(
    "iv-no-listed-condition", REVIEW,
    "No condition from the protocol's list was reported.",
    "A physician will review whether ketamine fits your situation.",
    "clinical.md §0b")

ESKETAMINE_TRD = Rule(
    "esketamine-trd", ELIGIBLE,
    "Label indication, treatment-resistant major depression: {trials}.",
    "The nasal spray is approved for depression that has not improved with at least {min_failed_trials} "
    "antidepressants.",
    "clinical.md §3 [20], §3.1 [20][21], §4.1 [20]")
ESKETAMINE_MDD_SUICIDAL_IDEATION = Rule(
    "esketamine-mdd-suicidal-ideation", ELIGIBLE,
    "Label indication: major depression with acute suicidal ideation or behaviour (with an oral "
    "antidepressant).",
    "The nasal spray is approved for depression with suicidal thoughts, alongside an antidepressant.",
    "clinical.md §3 [20], §3.2 [22]")
ESKETAMINE_BIPOLAR_LISTED = Rule(
    "esketamine-bipolar-listed", REVIEW,
    "Bipolar depression is listed beside major depression: the label covers major depression only; confirm "
    "the diagnosis.",
    "A physician needs to confirm your diagnosis before the nasal spray.",
    "clinical.md §3 [20], §2.2")
ESKETAMINE_OUTSIDE_LABEL = Rule(
    "esketamine-outside-label", NOT_ELIGIBLE,
    "Outside the label, which covers only treatment-resistant major depression and major depression with "
    "suicidal ideation ({why}).",
    "The nasal spray is approved only for hard-to-treat depression or depression with suicidal thoughts.",
    "clinical.md §3 [20]")

# The rules that are not one per history key or medication class; the engine uses them by name.
RULES = (
    AGE_BELOW_MINIMUM, MOOD_MANIC_OR_MIXED, PREGNANCY, BP_UNCONTROLLED, BP_ELEVATED,
    IV_TRD_MAJOR_DEPRESSION, IV_TRD_BIPOLAR_DEPRESSION, IV_TRD_OTHER_CONDITION, IV_NOT_TREATMENT_RESISTANT,
    IV_NO_LISTED_CONDITION, ESKETAMINE_TRD, ESKETAMINE_MDD_SUICIDAL_IDEATION, ESKETAMINE_BIPOLAR_LISTED,
    ESKETAMINE_OUTSIDE_LABEL, *HISTORY_RULES.values(),
)
