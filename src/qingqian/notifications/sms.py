"""Text messages, through a pluggable backend (as Django's e-mail backends).

The platform sends few texts (a sign-up's phone verification code) and ships no
provider: an operator writes a subclass of `SmsBackend` whose `send` calls
theirs, and names it in QINGQIAN_SMS_BACKEND. Built in are the console
backend (the demo: the message is printed), the file backend (one file per
message in QINGQIAN_SMS_FILE_PATH), the memory backend and the unconfigured backend of
production mode, which refuses, so that a missing provider is an error the
person sees and never a code silently lost.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsNotSent(Exception):
    """The backend could not hand the message over (no provider, provider down)."""


@dataclass(frozen=True)
class TextMessage:
    phone: str
    body: str


class SmsBackend:
    """The interface a provider's backend implements: hand one message over, or
    raise SmsNotSent. It runs inside the request, so keep it short (a timeout)."""

    def send(self, message: TextMessage) -> None:
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    def send(self, message: TextMessage) -> None:
        sys.stdout.write(f"SMS to {message.phone}: {message.body}\n")
        sys.stdout.flush()


class FileBackend(SmsBackend):
    def send(self, message: TextMessage) -> None:
        directory = Path(settings.QINGQIAN_SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path = directory / f"{stamp}-{secrets.token_hex(4)}.txt"
        path.write_text(f"To: {message.phone}\n\n{message.body}\n", encoding="utf-8")


# What the memory backend has sent, oldest first (Django's mail.outbox, for texts).
outbox: list[TextMessage] = []


class MemoryBackend(SmsBackend):
    """Keeps the messages in `outbox`: for seeding the demo, which reads its own code."""

    def send(self, message: TextMessage) -> None:
        outbox.append(message)


class UnconfiguredBackend(SmsBackend):
    def send(self, message: TextMessage) -> None:
        raise SmsNotSent("QINGQIAN_SMS_BACKEND names no provider")


def send_text(phone: str, body: str) -> None:
    """Send one text message through the configured backend."""
    backend = import_string(settings.QINGQIAN_SMS_BACKEND)()
    backend.send(TextMessage(phone=phone, body=body))
