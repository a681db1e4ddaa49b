"""Tokens of accounts. API tokens are stored only as their SHA-256: a copy of
the database names no usable token; issuing (accounts.services) and checking
(api.auth) hash alike. Invitation and password-reset links carry Django's
signed, expiring tokens, which stop working once the password they were made
for changes (so a link works once)."""

import hashlib

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

# A password-reset link (Django's generator; its lifetime is PASSWORD_RESET_TIMEOUT).
password_reset_tokens = default_token_generator


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token under a salt of its own (a reset link is no
    invitation, nor the other way round), valid QINGQIAN_INVITATION_DAYS days.
    An invitee has an unusable password, which is random: a resend sets a new
    one, so the links sent before stop working."""

    key_salt = "qingqian.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, s), token)
            for s in secrets
        ):
            return False
        lifetime = settings.QINGQIAN_INVITATION_DAYS * 24 * 3600
        return self._num_seconds(self._now()) - timestamp <= lifetime


invitation_tokens = InvitationTokenGenerator()
