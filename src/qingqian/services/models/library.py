"""Models of library (see qingqian.services.library)."""

__all__: list[str] = []
