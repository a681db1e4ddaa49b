"""Models of letters (see qingqian.services.letters)."""

__all__: list[str] = []
