"""Models of training (see qingqian.services.training)."""

__all__: list[str] = []
