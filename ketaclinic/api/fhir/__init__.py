"""FHIR R4 export: each area maps its records to resources built with fhir.resources (R4B models, which share
R4's structure for every resource used here), so each resource is validated as it is made. docs/fhir.md has the map.

- ``registry``: areas register per-clinic and per-patient resource providers and single-resource readers.
- ``foundation``: Organization, Location, Practitioner, PractitionerRole, Patient, body weight and height.
- ``intake``: reported conditions, candidacy decisions (ClinicalImpression), consents; ``billing``: ICD-10-CM
  diagnoses; ``outcomes``: Questionnaire, QuestionnaireResponse, scored totals; ``plans``: CarePlan, Appointment;
  ``visits``: Encounter, vital signs, MedicationAdministration, AdverseEvent.
- ``bundle``: ``$everything`` for one patient; ``export``: streaming bulk NDJSON per resource type.
- ``imports``: a scale result from a FHIR QuestionnaireResponse, recorded through the outcomes service.
"""
