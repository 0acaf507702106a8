"""What the engine returns: frozen dataclasses that serialise to JSON with ``Evaluation.to_dict``."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .protocol import RULES_VERSION, CandidacyProtocol

IV_KETAMINE = "iv-ketamine"
ESKETAMINE = "esketamine"
ROUTES = (IV_KETAMINE, ESKETAMINE)


class Verdict(enum.StrEnum):
    """A route's verdict, and a reason's level; declared from least to most severe."""

    ELIGIBLE = "eligible"
    ELIGIBLE_WITH_CAUTIONS = "eligible-with-cautions"
    PHYSICIAN_REVIEW = "physician-review"
    NOT_ELIGIBLE = "not-eligible"

    @property
    def severity(self) -> int:
        return list(Verdict).index(self)


@dataclass(frozen=True)
class Reason:
    rule_id: str  # stable across versions, e.g. "bp-uncontrolled"
    level: Verdict
    text: str  # for clinicians
    source: str  # e.g. "clinical.md §2.3 [20]"
    plain_text: str  # lay language, for the public self-screen

    def to_dict(self) -> dict[str, str]:
        return {
            "rule_id": self.rule_id, "level": str(self.level), "text": self.text, "source": self.source,
            "plain_text": self.plain_text,
        }


@dataclass(frozen=True)
class RouteVerdict:
    verdict: Verdict  # the level of the most severe reason
    reasons: tuple[Reason, ...]  # most severe first

    @classmethod
    def from_reasons(cls, reasons: Iterable[Reason]) -> RouteVerdict:
        ordered = tuple(sorted(reasons, key=lambda reason: -reason.level.severity))  # stable: rule order kept
        return cls(verdict=ordered[0].level if ordered else Verdict.ELIGIBLE, reasons=ordered)

    def to_dict(self) -> dict:
        return {"verdict": str(self.verdict), "reasons": [reason.to_dict() for reason in self.reasons]}


@dataclass(frozen=True)
class Evaluation:
    treatment_resistant: bool
    adequate_failed_trials: int
    routes: Mapping[str, RouteVerdict]  # keys: "iv-ketamine", "esketamine"
    protocol: CandidacyProtocol
    rules_version: str = RULES_VERSION

    def to_dict(self) -> dict:
        """Plain JSON-ready data: the conclusion, with the rule version and thresholds that produced it."""
        return {
            "rules_version": self.rules_version,
            "protocol": self.protocol.to_dict(),
            "treatment_resistant": self.treatment_resistant,
            "adequate_failed_trials": self.adequate_failed_trials,
            "routes": {route: verdict.to_dict() for route, verdict in self.routes.items()},
        }
