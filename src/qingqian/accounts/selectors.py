"""Reads of organisations and users, scoped by the actor."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.accounts.models import OFFICIAL_ROLES, ApiToken, Organisation, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for


def organisation_list(*, actor) -> QuerySet[Organisation]:
    """Officials see the organisations of their jurisdiction (for the national
    level, all). An organisation outside it does not exist for them."""
    scope = scope_for(actor)
    if scope.enterprise_id is not None or scope.nothing:
        return Organisation.objects.none()
    if not has_perm(actor, Perm.ORGANISATION_VIEW):
        return Organisation.objects.none()
    organisations = Organisation.objects.select_related("parent")
    if not scope.everything:
        organisations = organisations.filter(region_code__startswith=scope.region_prefix)
    return organisations.order_by("path")


def organisation_get(*, actor, pk) -> Organisation:
    return get_object_or_404(organisation_list(actor=actor), pk=pk)


def organisation_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


def user_list(*, actor) -> QuerySet[User]:
    """Administrators see the people of their jurisdiction; anyone else only themselves."""
    users = User.objects.select_related("organisation", "enterprise")
    if actor is None or not actor.is_authenticated:
        return users.none()
    if not has_perm(actor, Perm.USER_MANAGE):
        return users.filter(pk=actor.pk)
    scope = scope_for(actor)
    if scope.everything:
        return users.order_by("username")
    return users.filter(
        Q(organisation__region_code__startswith=scope.region_prefix)
        | Q(enterprise__region_code__startswith=scope.region_prefix)
    ).order_by("username")


def organisation_staff(*, actor, organisation: Organisation) -> QuerySet[User]:
    """The people of one organisation whom the actor may manage, each marked with
    whether they have a second factor (`has_second_factor`)."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        user_list(actor=actor)
        .filter(organisation=organisation)
        .annotate(has_second_factor=Exists(confirmed))
    )


def user_get(*, actor, pk) -> User:
    return get_object_or_404(user_list(actor=actor), pk=pk)


def has_second_factor(*, user) -> bool:
    """A confirmed authenticator app (recovery codes come with it and go with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(*, user) -> bool:
    """Officials (and superusers) must sign in with a second factor when the
    deployment requires it, unless the demo seeding exempted the account."""
    return (
        settings.QINGQIAN_REQUIRE_TWO_FACTOR
        and (user.is_official or user.is_superuser)
        and not user.two_factor_exempt
    )


def enrolment_pending(*, user) -> bool:
    """Must sign in with a second factor but has none yet: enrol before anything else."""
    return second_factor_required(user=user) and not has_second_factor(user=user)


# --- staff: the officials an administrator places and manages ---------------------


def staff_organisations(*, actor) -> QuerySet[Organisation]:
    """The organisations where the actor may place staff: its own organisation and
    everything below it (all of them for a superuser or the system), active ones only."""
    return _staff_subtree(actor).filter(is_active=True)


def _staff_subtree(actor) -> QuerySet[Organisation]:
    organisations = Organisation.objects.order_by("path")
    if actor is not None and not has_perm(actor, Perm.USER_MANAGE):
        return organisations.none()
    if actor is None or actor.is_superuser:
        return organisations
    if actor.organisation_id is None:
        return organisations.none()
    return organisations.filter(path__startswith=actor.organisation.path)


def staff_list(*, actor) -> QuerySet[User]:
    """Officials of the organisations of the actor's subtree (of closed
    organisations too: their former staff are still managed), each marked with
    whether they have a second factor (`has_second_factor`)."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(role__in=OFFICIAL_ROLES, organisation__in=_staff_subtree(actor))
        .select_related("organisation")
        .annotate(has_second_factor=Exists(confirmed))
        .order_by("organisation__path", "username")
    )


def staff_get(*, actor, pk) -> User:
    return get_object_or_404(staff_list(actor=actor), pk=pk)


def api_token_list(*, actor, owner: User | None = None) -> QuerySet[ApiToken]:
    """The unexpired tokens of `owner` (the actor's own by default). Another
    person's exist for the actor only if that person is on its staff list."""
    owner = owner or actor
    if owner.pk != actor.pk:
        owner = staff_get(actor=actor, pk=owner.pk)
    return ApiToken.objects.filter(user=owner, expires_at__gt=timezone.now()).order_by(
        "-created_at"
    )


def api_token_get(*, actor, pk) -> ApiToken:
    """One token the actor may revoke: its own, or one of its staff's (404 otherwise)."""
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if token.user_id != actor.pk:
        staff_get(actor=actor, pk=token.user_id)
    return token
