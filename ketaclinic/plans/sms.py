"""Text messages behind one small interface. No provider is wired in yet.

    from ketaclinic.plans import sms
    sms.sender().send(to="+1 310 555 0101", body="...")

``settings.SMS_BACKEND`` (dotted path to a class with ``send(to, body)``) picks the sender; without it,
``NoProviderSms`` drops the message and logs that it did (never the number or the text: no patient data
in logs). Tests swap in ``RecordingSms`` with ``sms.use(...)``, which keeps what it was asked to send.
"""

import logging
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class NoProviderSms:
    def send(self, *, to: str, body: str) -> None:
        log.info("SMS not sent: no provider configured (SMS_BACKEND)")


@dataclass
class SentSms:
    to: str
    body: str


@dataclass
class RecordingSms:
    sent: list[SentSms] = field(default_factory=list)

    def send(self, *, to: str, body: str) -> None:
        self.sent.append(SentSms(to, body))


_override: SmsSender | None = None


def sender() -> SmsSender:
    if _override is not None:
        return _override
    path = getattr(settings, "SMS_BACKEND", "")
    return import_string(path)() if path else NoProviderSms()


def use(replacement: SmsSender | None) -> None:
    """Swap the sender (tests); ``use(None)`` restores the configured one."""
    global _override
    _override = replacement
