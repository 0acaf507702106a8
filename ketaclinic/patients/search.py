"""Patient search by name, date of birth, MRN or phone, using indexed prefix ranges (fast on 100,000 rows)."""

import datetime as dt
import re

from django.db.models import Q, QuerySet

from ketaclinic.patients.models import digits, search_key

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%d.%m.%Y")
_PREFIX_END = "\uffff"


def parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _prefix(field: str, value: str) -> Q:
    # A range, not LIKE: both SQLite and PostgreSQL answer it from the (clinic, key) index.
    return Q(**{f"{field}__gte": value, f"{field}__lt": value + _PREFIX_END})


def _name_token(token: str) -> Q:
    key = search_key(token)
    return _prefix("last_name_key", key) | _prefix("first_name_key", key) | _prefix("preferred_name_key", key)


def search(patients: QuerySet, query: str) -> QuerySet:
    query = (query or "").strip()
    if not query:
        return patients
    day = parse_date(query)
    if day is not None:
        return patients.filter(date_of_birth=day)
    phone = digits(query)
    if len(phone) >= 7 and re.fullmatch(r"[\d\s().+-]+", query):
        return patients.filter(phone_digits__endswith=phone[-10:]) if len(phone) < 10 else patients.filter(phone_digits=phone[-10:])
    by_mrn = Q(mrn__iexact=query)
    by_name = Q()
    for token in query.replace(",", " ").split():
        by_name &= _name_token(token)
    return patients.filter(by_mrn | by_name)
