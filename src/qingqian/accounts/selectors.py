"""Reads of organisations and users, scoped by the actor."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.accounts import open_work
from qingqian.accounts.models import STAFF_ROLES, ApiToken, Organisation, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.rules import ALLOWED_PARENT_KINDS
from qingqian.core.scoping import NATIONAL_REGION_CODE, region_prefix, scope_for


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


def organisations_managed(
    *, actor, include_own: bool = False, perm: Perm = Perm.ORGANISATION_MANAGE
) -> QuerySet[Organisation]:
    """The one rule of who manages what: an administrator manages the units
    strictly below their own organisation, never that organisation itself
    (its parent's administrators do); the system (actor None) and superusers
    manage all. `include_own` adds the actor's own organisation, under which
    they may still add units (or place staff: `perm` is then user.manage)."""
    organisations = Organisation.objects.select_related("parent").order_by("path")
    if actor is None or (actor.is_authenticated and actor.is_active and actor.is_superuser):
        return organisations
    if not has_perm(actor, perm) or actor.organisation_id is None:
        return organisations.none()
    below = organisations.filter(path__startswith=actor.organisation.path)
    return below if include_own else below.exclude(pk=actor.organisation_id)


def may_bootstrap(*, actor) -> bool:
    """Creating the reporting units' authorities is the national level's: the
    system, a superuser, or an administrator whose scope is the whole country."""
    if actor is None:
        return True
    return has_perm(actor, Perm.ORGANISATION_MANAGE) and scope_for(actor).covers_region(
        NATIONAL_REGION_CODE
    )


def organisation_managed_get(*, actor, pk, include_own: bool = False) -> Organisation:
    """404 for a unit the actor does not manage (whether or not they may see it)."""
    return get_object_or_404(organisations_managed(actor=actor, include_own=include_own), pk=pk)


def organisation_may_manage(*, actor, organisation: Organisation) -> bool:
    return organisations_managed(actor=actor).filter(pk=organisation.pk).exists()


def organisation_parent_choices(*, actor, organisation: Organisation) -> QuerySet[Organisation]:
    """Where the actor may move the unit: active units they hold, of a kind that
    may be its parent, whose region contains the unit's, outside its subtree."""
    candidates = (
        organisations_managed(actor=actor, include_own=True)
        .filter(is_active=True, kind__in=ALLOWED_PARENT_KINDS[organisation.kind])
        .exclude(path__startswith=organisation.path)
        .exclude(pk=organisation.parent_id)
    )
    fitting = [
        pk
        for pk, code in candidates.values_list("pk", "region_code")
        if organisation.region_code.startswith(region_prefix(code))
    ]
    return candidates.filter(pk__in=fitting)


def organisation_transfer_targets(*, actor, organisation: Organisation) -> QuerySet[Organisation]:
    """The active units the actor holds, other than the one the work leaves."""
    return (
        organisations_managed(actor=actor, include_own=True)
        .filter(is_active=True)
        .exclude(pk=organisation.pk)
    )


def organisation_active_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    """The unit and the still active units below it: whose work and staff keep it open."""
    return organisation_subtree(organisation).filter(Q(pk=organisation.pk) | Q(is_active=True))


def organisation_open_work(organisation: Organisation) -> dict[str, int]:
    """The open work of the unit itself, per kind registered in accounts.open_work."""
    return open_work.counts(Organisation.objects.filter(pk=organisation.pk))


def active_staff_count(organisations: QuerySet[Organisation]) -> int:
    return User.objects.filter(organisation__in=organisations, is_active=True).count()


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
    """Officials and legal advisers (and superusers) must sign in with a second
    factor when the deployment requires it, unless the demo seeding exempted the account."""
    return (
        settings.QINGQIAN_REQUIRE_TWO_FACTOR
        and (user.role in STAFF_ROLES or user.is_superuser)
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
    """One's own organisation and below, for those who manage staff."""
    return organisations_managed(actor=actor, include_own=True, perm=Perm.USER_MANAGE)


def staff_list(*, actor) -> QuerySet[User]:
    """Officials of the organisations of the actor's subtree (of closed
    organisations too: their former staff are still managed), each marked with
    whether they have a second factor (`has_second_factor`)."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(role__in=STAFF_ROLES, organisation__in=_staff_subtree(actor))
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
