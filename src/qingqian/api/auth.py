"""Bearer-token authentication: `Authorization: Bearer <token>`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from qingqian.accounts.models import ApiToken
from qingqian.accounts.tokens import hash_key
from qingqian.core.queries import any_one


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        try:
            header = authentication.get_authorization_header(request).split()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header.")) from error
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from error
        # The person's enterprise and organisation come along: nearly every
        # request asks for one of them.
        tokens = ApiToken.objects.select_related(
            "user", "user__enterprise", "user__organisation"
        ).filter(key_hash=hash_key(key), expires_at__gt=timezone.now())
        token = any_one(tokens)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
