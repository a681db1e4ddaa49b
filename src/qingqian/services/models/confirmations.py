"""Models of confirmations (see qingqian.services.confirmations)."""

__all__: list[str] = []
