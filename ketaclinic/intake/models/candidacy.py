"""The engine's verdicts as they were, and the physician's signed decisions. Neither is ever changed in place."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User
from ketaclinic.clinical import candidacy
from ketaclinic.intake.models.choices import Route, Verdict
from ketaclinic.patients.models import Patient


class WrittenOnce(models.Model):
    """A record that is written once and then only read: corrections are new rows."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"A {self._meta.verbose_name} is never changed; record a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"A {self._meta.verbose_name} is never deleted.")


class CandidacyProtocolSetting(WrittenOnce):
    """A clinic's own candidacy thresholds (it may only tighten the defaults), with who approved them."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="candidacy_protocols")
    min_age_years = models.PositiveSmallIntegerField("minimum age (years)", default=candidacy.DEFAULT_PROTOCOL.min_age_years)
    min_trial_weeks = models.PositiveSmallIntegerField(
        "weeks for an adequate antidepressant trial", default=candidacy.DEFAULT_PROTOCOL.min_trial_weeks)
    min_failed_trials = models.PositiveSmallIntegerField(
        "adequate failed trials for treatment resistance", default=candidacy.DEFAULT_PROTOCOL.min_failed_trials)
    bp_hold_systolic_mmhg = models.PositiveSmallIntegerField(
        "not eligible at or above systolic (mmHg)", default=candidacy.DEFAULT_PROTOCOL.bp_hold_systolic_mmhg)
    bp_hold_diastolic_mmhg = models.PositiveSmallIntegerField(
        "not eligible at or above diastolic (mmHg)", default=candidacy.DEFAULT_PROTOCOL.bp_hold_diastolic_mmhg)
    bp_caution_systolic_mmhg = models.PositiveSmallIntegerField(
        "caution above systolic (mmHg)", default=candidacy.DEFAULT_PROTOCOL.bp_caution_systolic_mmhg)
    bp_caution_diastolic_mmhg = models.PositiveSmallIntegerField(
        "caution above diastolic (mmHg)", default=candidacy.DEFAULT_PROTOCOL.bp_caution_diastolic_mmhg)
    reason = models.TextField("why the clinic changed it", max_length=1000)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    FIELDS = tuple(f.name for f in candidacy.CandidacyProtocol.__dataclass_fields__.values())

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = "candidacy protocol setting"

    def as_protocol(self) -> candidacy.CandidacyProtocol:
        return candidacy.CandidacyProtocol(**{name: getattr(self, name) for name in self.FIELDS})


class CandidacyEvaluation(WrittenOnce):
    """One run of the engine: the exact input, the full output, the rule version and the verdicts, kept apart
    so that an old result stays explainable after the rules change (STYLE §9)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="candidacy_evaluations")
    intake = models.ForeignKey("intake.Intake", on_delete=models.PROTECT, related_name="evaluations")
    engine_input = models.JSONField(help_text="The dict given to ketaclinic.clinical.candidacy.evaluate.")
    result = models.JSONField(help_text="Evaluation.to_dict(): verdicts, reasons with sources, protocol numbers.")
    rules_version = models.CharField(max_length=40)
    iv_verdict = models.CharField("IV ketamine verdict", max_length=24, choices=Verdict.choices)
    esketamine_verdict = models.CharField("esketamine verdict", max_length=24, choices=Verdict.choices)
    treatment_resistant = models.BooleanField()
    adequate_failed_trials = models.PositiveSmallIntegerField()
    protocol_setting = models.ForeignKey(
        CandidacyProtocolSetting, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The clinic's own thresholds, or empty for the shipped defaults.")
    evaluated_at = models.DateTimeField(default=timezone.now)
    evaluated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-evaluated_at", "-id"]
        verbose_name = "candidacy evaluation"

    def verdict_for(self, route: str) -> str:
        return self.iv_verdict if route == Route.IV_KETAMINE else self.esketamine_verdict

    def route_result(self, route: str) -> dict:
        return self.result["routes"][route]


class CandidacyDecision(WrittenOnce):
    """The physician's signed decision. An amendment is a new version that points at the one it replaces."""

    class Decision(models.TextChoices):
        IV = "iv", "Candidate for IV ketamine"
        ESKETAMINE = "esketamine", "Candidate for esketamine"
        BOTH = "both", "Candidate for both IV ketamine and esketamine"
        NEITHER = "neither", "Not a candidate for either"

    ROUTES = {
        Decision.IV: frozenset({Route.IV_KETAMINE}),
        Decision.ESKETAMINE: frozenset({Route.ESKETAMINE}),
        Decision.BOTH: frozenset({Route.IV_KETAMINE, Route.ESKETAMINE}),
        Decision.NEITHER: frozenset(),
    }

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="candidacy_decisions")
    evaluation = models.ForeignKey(CandidacyEvaluation, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    note = models.TextField(max_length=4000)
    override_reason = models.TextField(
        "reason for overriding the engine", max_length=4000, blank=True,
        help_text="Needed when the decision goes against the engine's verdict for a route.")
    overridden_routes = models.JSONField(default=list, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by")
    amendment_reason = models.TextField("why the decision is amended", max_length=2000, blank=True)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_by_label = models.CharField(max_length=200, help_text="Signer's name and credentials at the time.")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = "candidacy decision"
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="decision_version_unique"),
            # One chain per patient: a second first version would fork the history.
            models.UniqueConstraint(fields=["patient"], condition=Q(supersedes__isnull=True), name="decision_one_root"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (version {self.version})"

    @property
    def approved_routes(self) -> frozenset[str]:
        return self.ROUTES[self.decision]

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "amended_by")
