"""repository."""

__all__: list[str] = []
