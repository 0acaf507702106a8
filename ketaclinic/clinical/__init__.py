"""KetaClinic's pure clinical core.

Scoring, candidacy rules, protocols, dosing, vital-sign rules, discharge criteria, outcome classes and
pricing arithmetic. Nothing here imports Django (``tests/test_no_django.py`` enforces it), "now" is
always an argument, and every clinical number is a named constant that cites
``shared/reference/clinical.md``. Analysts and integrators may import these modules directly.
"""
