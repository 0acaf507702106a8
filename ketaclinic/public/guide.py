"""The guide's table of contents. Each topic's text is a template per language:
``templates/public/guide/<language>/<slug>.html`` (a test checks that every topic exists in every language).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    slug: str
    title: Promise
    summary: Promise


TOPICS: tuple[Topic, ...] = (
    Topic("how-it-works", _("How ketamine and esketamine work"),
          _("Glutamate, NMDA receptors and new connections between brain cells, in plain words.")),
    Topic("conditions", _("Conditions clinics treat"),
          _("Treatment-resistant depression, anxiety, PTSD, bipolar depression, and uses still being studied.")),
    Topic("iv-or-nasal-spray", _("IV infusion or nasal spray"),
          _("How an infusion and esketamine (Spravato) differ in dose, schedule, monitoring and cost.")),
    Topic("candidates", _("Who is a good candidate, and who is not"),
          _("What clinics look for, and the conditions that make ketamine unsafe.")),
    Topic("a-session", _("A session, step by step"),
          _("From the consultation and fasting to the ride home.")),
    Topic("side-effects", _("Side effects and safety"),
          _("What you may feel, why your blood pressure is watched, and what the clinic does to keep you safe.")),
    Topic("costs", _("Costs and insurance"),
          _("Typical prices in Los Angeles, what insurance covers, and how to ask for an estimate.")),
    Topic("how-many-sessions", _("How many sessions, and maintenance"),
          _("The first series, how results are measured, and the boosters that may follow.")),
    Topic("psychotherapy", _("Ketamine and psychotherapy"),
          _("Why treatment works best alongside talk therapy and the people around you.")),
    Topic("choosing-a-clinic", _("How to choose a clinic"),
          _("The questions to ask, and what the directory shows about each clinic.")),
    Topic("faq", _("Frequently asked questions"),
          _("Short answers to the questions people ask most.")),
)

BY_SLUG = {t.slug: t for t in TOPICS}
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def template_for(slug: str, language: str) -> str:
    lang = language if language in LANGUAGES else settings.LANGUAGE_CODE
    return f"public/guide/{lang}/{slug}.html"


def neighbours(slug: str) -> tuple[Topic | None, Topic | None]:
    index = [t.slug for t in TOPICS].index(slug)
    previous = TOPICS[index - 1] if index > 0 else None
    following = TOPICS[index + 1] if index + 1 < len(TOPICS) else None
    return previous, following
