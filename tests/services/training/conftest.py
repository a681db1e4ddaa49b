from tests.services.training.events import make_event  # noqa: F401 - the fixture
