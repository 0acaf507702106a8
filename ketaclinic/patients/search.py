"""Patient search by name, date of birth, MRN or phone, fast on 100,000 rows (bench/patient_search.py).

Each name token is a union of indexed prefix ranges on the normalised name keys (and the MRN). A plain OR of
the same ranges is left to the planner, which on SQLite without fresh statistics scans the whole clinic.
"""

import datetime as dt
import re

from django.db.models import QuerySet

from ketaclinic.patients.models import digits, search_key

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%d.%m.%Y")
_PREFIX_END = "\uffff"
_NAME_KEYS = ("last_name_key", "first_name_key", "preferred_name_key")


def parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _ids_matching(patients: QuerySet, token: str, mrn: str) -> QuerySet:
    key = search_key(token)
    base = patients.order_by()
    ranges = [base.filter(**{f"{f}__gte": key, f"{f}__lt": key + _PREFIX_END}).values("pk") for f in _NAME_KEYS]
    return base.filter(mrn=mrn).values("pk").union(*ranges)


def search(patients: QuerySet, query: str) -> QuerySet:
    query = (query or "").strip()
    if not query:
        return patients
    day = parse_date(query)
    if day is not None:
        return patients.filter(date_of_birth=day)
    phone = digits(query)
    if len(phone) >= 7 and re.fullmatch(r"[\d\s().+-]+", query):
        return patients.filter(phone_digits__endswith=phone) if len(phone) < 10 else patients.filter(phone_digits=phone[-10:])
    mrn = query.upper()  # MRNs are stored upper-case: the (clinic, mrn) unique index answers
    for token in query.replace(",", " ").split():
        patients = patients.filter(pk__in=_ids_matching(patients, token, mrn))
    return patients
