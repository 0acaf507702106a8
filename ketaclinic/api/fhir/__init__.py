"""FHIR R4 export: each area maps its records to resources built with fhir.resources (R4B models, which share
R4's structure for every resource used here), so each resource is validated as it is made.

- ``registry``: areas register per-clinic and per-patient resource providers and single-resource readers.
- ``foundation``: Organization, Location, Practitioner, PractitionerRole, Patient, body weight and height.
- ``bundle``: ``$everything`` for one patient; ``export``: streaming bulk NDJSON per resource type.
"""
