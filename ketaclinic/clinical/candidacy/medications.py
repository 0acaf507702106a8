"""Interacting medication classes, recognised by generic name (clinical.md §2.4).

A medication matches when any word of it is a listed generic, case-insensitively, so "Clonazepam 0.5 mg",
"oxycodone/acetaminophen" and "dextroamphetamine-amphetamine" all match. Brand names are not recognised:
the intake records generics, and the clinician reviews the whole list anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MedicationClass:
    rule_id: str
    name: str  # in reason texts: "Benzodiazepine (alprazolam)"
    generics: frozenset[str]
    effect: str  # for clinicians
    plain_effect: str  # lay language
    source: str


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


MEDICATION_CLASSES = (
    MedicationClass(
        rule_id="med-benzodiazepine",
        name="Benzodiazepine",
        generics=_names(
            "alprazolam lorazepam clonazepam diazepam temazepam chlordiazepoxide clorazepate oxazepam "
            "triazolam midazolam estazolam flurazepam quazepam clobazam bromazepam nitrazepam lormetazepam "
            "remimazolam"
        ),
        effect="may blunt the antidepressant response to ketamine, and adds sedation and respiratory "
               "depression; consider holding the dose before a session and monitor closely",
        plain_effect="can weaken how well ketamine works and add to drowsiness; your clinician may adjust "
                     "when you take it",
        source="clinical.md §2.4 [16][20][23]",
    ),
    MedicationClass(
        rule_id="med-lamotrigine",
        name="Lamotrigine",
        generics=_names("lamotrigine"),
        effect="may reduce ketamine's glutamatergic effects; some protocols hold or exclude it",
        plain_effect="may lessen ketamine's effect; your clinician will review it",
        source="clinical.md §2.4 [1][14]",
    ),
    MedicationClass(
        rule_id="med-maoi",
        name="MAOI",
        generics=_names(
            "phenelzine tranylcypromine isocarboxazid selegiline rasagiline safinamide moclobemide linezolid"
        ),
        effect="raises blood pressure with ketamine/esketamine; monitor blood pressure closely",
        plain_effect="can raise blood pressure together with ketamine; it will be watched closely",
        source="clinical.md §2.4 [20][26]",
    ),
    MedicationClass(
        rule_id="med-psychostimulant",
        name="Psychostimulant",
        generics=_names(
            "amphetamine dextroamphetamine levoamphetamine lisdexamfetamine methamphetamine methylphenidate "
            "dexmethylphenidate serdexmethylphenidate modafinil armodafinil solriamfetol phentermine"
        ),
        effect="raises blood pressure with ketamine/esketamine; monitor blood pressure closely",
        plain_effect="can raise blood pressure together with ketamine; it will be watched closely",
        source="clinical.md §2.4 [20][23]",
    ),
    MedicationClass(
        rule_id="med-opioid",
        name="Opioid",
        generics=_names(
            "oxycodone hydrocodone morphine methadone buprenorphine fentanyl tramadol tapentadol "
            "hydromorphone oxymorphone codeine dihydrocodeine meperidine pethidine levorphanol butorphanol "
            "nalbuphine pentazocine sufentanil remifentanil alfentanil"
        ),
        effect="additive sedation and respiratory depression (CNS depressant); monitor closely",
        plain_effect="adds to drowsiness and can slow breathing; you will be monitored closely",
        source="clinical.md §2.4 [20][23], §3.7 [26]",
    ),
    # Gabapentinoids are included: CNS depressants that add sedation and respiratory depression,
    # which the newer SPRAVATO monitoring form asks about (§3.7). A caution costs little; a missed one more.
    # Sedating antidepressants, antipsychotics and antihistamines (trazodone, quetiapine, mirtazapine,
    # hydroxyzine) are deliberately not flagged: most candidates take one, and a caution on everyone
    # would hide the ones that matter.
    MedicationClass(
        rule_id="med-sedative",
        name="Sedative",
        generics=_names(
            "zolpidem eszopiclone zopiclone zaleplon phenobarbital butalbital pentobarbital secobarbital "
            "amobarbital butabarbital gabapentin pregabalin oxybate meprobamate carisoprodol"
        ),
        effect="additive sedation and respiratory depression (CNS depressant); monitor closely",
        plain_effect="adds to drowsiness; you will be monitored closely",
        source="clinical.md §2.4 [20][23], §3.7 [26][31]",
    ),
)


def matches(medication_class: MedicationClass, medications: Iterable[str]) -> tuple[str, ...]:
    """The medications (as written) that belong to ``medication_class``."""
    return tuple(name for name in medications if _words(name) & medication_class.generics)


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z]+", name.lower()))
