import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the reference tables (calendar, LPR) once per test database."""
    from qingqian.core.services.reference import seed_reference_data

    with django_db_blocker.unblock():
        seed_reference_data(actor=None)
