"""Models of legalaid (see qingqian.services.legalaid)."""

__all__: list[str] = []
