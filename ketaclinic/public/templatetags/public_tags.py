from django import template

from ketaclinic.clinical.pricing import format_usd
from ketaclinic.public.models import RATING_MAX

register = template.Library()


@register.filter
def usd(cents) -> str:
    return format_usd(int(cents))


@register.filter
def stars(rating) -> str:
    """4 -> '★★★★☆' (decoration only: pages say the number in words beside it)."""
    n = max(0, min(RATING_MAX, int(rating)))
    return "★" * n + "☆" * (RATING_MAX - n)
