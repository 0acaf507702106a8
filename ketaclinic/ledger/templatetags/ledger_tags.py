from django import template
from django.utils import timezone

from ketaclinic.clinical import ledger

register = template.Library()


@register.filter
def qty(amount, product=None):
    """A Quantity as '35 mg (0.7 mL)' or '56 mg (2 devices)'."""
    if amount is None:
        return "—"
    return ledger.describe(amount, getattr(product, "mg_per_container", None))


@register.filter
def at_clinic(value, clinic):
    """A UTC time shown in the clinic's own time zone, US style."""
    if value is None:
        return "—"
    return timezone.localtime(value, clinic.tz).strftime("%m/%d/%Y %H:%M")


@register.filter
def mg(value):
    return "—" if value is None else f"{value.normalize():f}"


@register.filter
def plain_time(value):
    """A datetime already in the clinic's zone, formatted without converting it again."""
    return value.strftime("%m/%d/%Y %H:%M") if value else "—"
