"""pricing."""

__all__: list[str] = []
