"""The engine's lay-language reasons, translatable. English is the engine's own ``plain_text`` (a test keeps
them word for word in step); a rule missing here falls back to the engine's English text."""

from django.utils.translation import gettext_lazy as _

from ketaclinic.clinical.candidacy import CandidacyProtocol, Reason


CONDITION_NAMES = {
    "generalized-anxiety": _("generalized anxiety"), "panic-disorder": _("panic disorder"), "ptsd": _("PTSD"),
    "ocd": _("OCD"), "chronic-pain": _("chronic pain"), "suicidal-ideation": _("suicidal ideation"),
}


PLAIN_TEXTS = {
    "age-below-minimum": _("Ketamine treatment here is for adults aged %(min_age_years)s and over."),
    "mood-manic-or-mixed": _("Ketamine is not given during a manic, hypomanic or mixed mood episode."),
    "pregnancy": _("Ketamine is not given during pregnancy."),
    "history-psychosis": _("A history of psychosis usually rules out ketamine treatment."),
    "history-substance-use-disorder-active": _("Ketamine is not started during an active substance use problem."),
    "history-aneurysmal-vascular-disease": _("An aneurysm rules out ketamine treatment, because it raises blood pressure."),
    "history-arteriovenous-malformation": _(
        "An arteriovenous malformation rules out ketamine treatment, because it raises blood pressure."),
    "history-intracerebral-hemorrhage": _("A past bleed in the brain rules out ketamine treatment."),
    "history-ketamine-hypersensitivity": _("An allergy to ketamine rules out this treatment."),
    "history-unstable-cardiovascular-disease": _("An unstable heart condition makes ketamine unsafe for now."),
    "history-uncontrolled-hypertension": _("Blood pressure needs to be under control before ketamine treatment."),
    "history-brain-injury": _("A past brain injury needs a physician's review first."),
    "history-raised-intracranial-pressure": _("Raised pressure inside the head needs a physician's review first."),
    "history-hepatic-impairment": _("Liver problems mean extra blood tests during treatment."),
    "history-interstitial-cystitis": _("Bladder problems will be watched, because ketamine can irritate the bladder."),
    "iv-trd-major-depression": _(
        "Depression that has not improved with at least %(min_failed_trials)s antidepressants is the main reason for "
        "ketamine."),
    "iv-trd-bipolar-depression": _(
        "Ketamine can help the depressed phase of bipolar disorder, with a mood stabiliser and close monitoring."),
    "iv-trd-other-condition": _("Ketamine is also used for %(conditions)s, but the evidence is still emerging."),
    "iv-not-treatment-resistant": _(
        "Ketamine is mostly used after at least %(min_failed_trials)s antidepressants have not helped; a physician "
        "will review your history."),
    "iv-no-listed-condition": _("A physician will review whether ketamine fits your situation."),
    "esketamine-trd": _(
        "The nasal spray is approved for depression that has not improved with at least %(min_failed_trials)s "
        "antidepressants."),
    "esketamine-mdd-suicidal-ideation": _(
        "The nasal spray is approved for depression with suicidal thoughts, alongside an antidepressant."),
    "esketamine-bipolar-listed": _("A physician needs to confirm your diagnosis before the nasal spray."),
    "esketamine-outside-label": _(
        "The nasal spray is approved only for hard-to-treat depression or depression with suicidal thoughts."),
}


def plain_text(reason: Reason, *, protocol: CandidacyProtocol, conditions=()) -> str:
    """``reason`` in lay words in the active language; ``conditions`` are the intake's condition codes."""
    template = PLAIN_TEXTS.get(reason.rule_id)
    if template is None:
        return reason.plain_text
    names = ", ".join(str(name) for key, name in CONDITION_NAMES.items() if key in conditions)
    return str(template) % {
        "min_age_years": protocol.min_age_years, "min_failed_trials": protocol.min_failed_trials, "conditions": names,
    }
