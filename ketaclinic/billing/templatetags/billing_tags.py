from django import template

from ketaclinic.billing import codes
from ketaclinic.billing.estimator import label, say
from ketaclinic.clinical.pricing import format_usd

register = template.Library()


@register.filter
def usd(cents) -> str:
    """Integer cents as dollars: 123456 -> $1,234.56; empty for None."""
    if cents is None or cents == "":
        return ""
    return format_usd(int(cents))


@register.filter
def code_label(code: str) -> str:
    return codes.label(code)


@register.filter
def icd10_label(code: str) -> str:
    return codes.icd10_label(code)


@register.filter
def session_label(session_type: str) -> str:
    return label(session_type)


@register.filter
def estimate_text(sentence: str) -> str:
    """An estimator note or assumption in the reader's language."""
    return say(sentence)
