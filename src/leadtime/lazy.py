"""A package's names loaded from their modules on first use (PEP 562): importing the
package costs nothing until one of them is used, and a command loads only what it uses."""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def loader(
    package: str, where: Mapping[str, str], namespace: dict[str, object]
) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each name to the module
    (absolute) that defines it; a name, once loaded, joins ``namespace``."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
