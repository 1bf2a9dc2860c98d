"""penalties."""

__all__: list[str] = []
