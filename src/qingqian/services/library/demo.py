"""The library in the demo: the packaged texts, loaded once (safe to run twice)."""

from qingqian.services.library.services import library_seed


def seed_demo_library() -> None:
    library_seed(actor=None)
