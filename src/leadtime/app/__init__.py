"""The use cases: one function each, taking a :class:`Workspace` and plain values and
returning data. Nothing here imports Typer or Rich or prints; progress is a callback."""

from leadtime.app.workspace import Workspace

__all__ = ["Workspace"]
