"""The e-mail verification link of a sign-up: Django's signed token under a salt
of its own, over the moment the address was verified, so a link works once."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "qingqian.portal.tokens.EmailTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        registration = getattr(user, "registration", None)
        verified = registration.email_verified_at if registration else None
        return f"{user.pk}{user.email}{verified}{timestamp}"


email_tokens = EmailTokenGenerator()
