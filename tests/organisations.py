"""Helpers for tests of organisation management: the demo's units by name, and
administrators of any of them (the demo has only the national one)."""

from qingqian.accounts.models import Organisation, Role, User


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def admin_of(name: str) -> User:
    """A new administrator of the named unit, signing in with a password alone."""
    return User.objects.create_user(
        username=f"admin-{org(name).pk}",
        password="a-Long-passphrase-9",
        role=Role.ADMIN,
        organisation=org(name),
        two_factor_exempt=True,
    )
