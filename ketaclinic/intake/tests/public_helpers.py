import time

from django.core import signing

from ketaclinic.intake import spam


def screen_post(**changes):
    data = {"adult": "yes", "conditions": ["major-depression"], "failed_antidepressants": "2",
            "psychotherapy_tried": "yes", "flags": []}
    data.update({f"phq9_{n}": "2" for n in range(1, 9)})
    data["phq9_9"] = "0"
    data.update(changes)
    return data


def old_stamp(seconds_ago: int = 60) -> str:
    """A form stamp as if the page had been opened ``seconds_ago``."""
    return signing.dumps({"t": int(time.time()) - seconds_ago}, salt=spam._STAMP_SALT, compress=True)


def consultation_post(clinic, **changes):
    data = {"clinic": str(clinic.pk), "first_name": "Dana", "last_name": "Sample", "phone": "+1 310 555 0123",
            "email": "", "contact_method": "phone", "best_time": "morning", "message": "", "agree_to_contact": "on",
            "website": "", "form_stamp": old_stamp()}
    data.update(changes)
    return data
