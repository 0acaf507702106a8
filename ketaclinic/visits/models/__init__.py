"""Session-day models, split by concern. Import them from here: ``from ketaclinic.visits.models import Visit``."""

from ketaclinic.visits.models.dosing import DoseAdministration, EsketamineDevice
from ketaclinic.visits.models.flowsheet import (
    VITAL_FIELDS,
    ClinicalEvent,
    DischargeAssessment,
    DissociationScore,
    VitalAlert,
    VitalReading,
)
from ketaclinic.visits.models.protocol import DischargeMethod, SessionProtocol
from ketaclinic.visits.models.records import (
    AdverseEvent,
    AdverseEventFollowUp,
    MonitoringForm,
    MonitoringFormAmendment,
    Note,
    NoteAmendment,
)
from ketaclinic.visits.models.visit import ChecklistItem, DoseOrder, Hold, RemsEnrollment, Route, Visit

__all__ = [
    "VITAL_FIELDS", "AdverseEvent", "AdverseEventFollowUp", "ChecklistItem", "ClinicalEvent", "DischargeAssessment",
    "DischargeMethod", "DissociationScore", "DoseAdministration", "DoseOrder", "EsketamineDevice", "Hold",
    "MonitoringForm", "MonitoringFormAmendment", "Note", "NoteAmendment", "RemsEnrollment", "Route", "SessionProtocol",
    "Visit", "VitalAlert", "VitalReading",
]
