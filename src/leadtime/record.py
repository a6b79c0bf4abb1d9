"""Frozen value classes for the code a daily command runs.

The standard library's dataclasses cost ``log`` more than its own work: importing them
loads ``inspect`` (about 47 M instructions), and each class is made by generating and
compiling five or six methods (about 4 M instructions a class; the rules engine has
twenty-seven). :func:`record` makes the same frozen classes — an ``__init__`` with
defaults, default factories and ``__post_init__``, equality and hashing on the compared
fields, a ``repr`` of the shown ones — with one compiled ``__init__`` per class and
methods shared by every class; :func:`replace` is ``dataclasses.replace``. Type checkers
read :func:`record` as a dataclass transform (PEP 681).
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_options: object) -> object:
        return lambda decorated: decorated


class FrozenInstanceError(AttributeError):
    """An attempt to assign to a field of a record."""


_MISSING: Any = object()


class Field:
    """How one field is made, compared and shown (see :func:`field`)."""

    __slots__ = ("compare", "default", "factory", "init", "name", "repr")

    def __init__(
        self, default: Any, factory: Any, *, compare: bool, repr: bool, init: bool
    ) -> None:
        self.name = ""
        self.default = default
        self.factory = factory
        self.compare = compare
        self.repr = repr
        self.init = init


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] = _MISSING,
    compare: bool = True,
    repr: bool = True,
    init: bool = True,
) -> Any:
    """A field with a default, a factory for its default, or left out of comparisons,
    the ``repr`` or ``__init__`` (as ``dataclasses.field``)."""
    return Field(default, default_factory, compare=compare, repr=repr, init=init)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen record of its annotated fields (a base record's first)."""
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(base.__dict__.get("__record_fields__", {}))
    for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063 - inspect is the cost avoided
        value = cls.__dict__.get(name, _MISSING)
        made = value if isinstance(value, Field) else Field(
            value, _MISSING, compare=True, repr=True, init=True
        )  # fmt: skip
        made.name = name
        fields[name] = made
        if isinstance(value, Field):
            if made.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, made.default)
    compared = [f.name for f in fields.values() if f.compare]
    made_here = {
        "__record_fields__": fields,
        "__init__": _make_init(cls, list(fields.values())),
        # a static method: a function kept on the class would be bound to the instance
        "__record_key__": staticmethod(
            attrgetter(*compared) if len(compared) > 1 else _one(compared)
        ),
        "__record_shown__": tuple(f.name for f in fields.values() if f.repr),
    }
    # A class body that defines __eq__ gets __hash__ = None from Python: not a choice of its
    # own (as for dataclasses, the record's hash is then made from the compared fields).
    implicit = cls.__dict__.get("__hash__", _hash) is None and "__eq__" in cls.__dict__
    own = {name for name in _SHARED if name in cls.__dict__} - ({"__hash__"} if implicit else set())
    shared = {name: method for name, method in _SHARED.items() if name not in own}
    for name, value in {**made_here, **shared}.items():
        setattr(cls, name, value)
    return cls


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record ``obj`` with ``changes`` (fields left out of ``__init__`` are
    made again, as ``dataclasses.replace`` does)."""
    fields: dict[str, Field] = obj.__class__.__dict__["__record_fields__"]
    for name in changes:
        if name not in fields or not fields[name].init:
            raise TypeError(f"{obj.__class__.__qualname__} has no field {name!r} to replace")
    values = {
        n: changes[n] if n in changes else getattr(obj, n) for n, f in fields.items() if f.init
    }
    return obj.__class__(**values)


def _one(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _obj: ()
    get = attrgetter(names[0])
    return lambda obj: (get(obj),)


def _make_init(cls: type, fields: list[Field]) -> Callable[..., None]:
    """``__init__``, compiled once for the class: positional or keyword arguments in field
    order, defaults, factories, then ``__post_init__`` if the class has one."""
    params: list[str] = []
    body: list[str] = []
    scope: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": _MISSING}
    seen_default = False
    for number, f in enumerate(fields):
        if f.init:
            if f.default is not _MISSING:
                scope[f"_d{number}"] = f.default
                params.append(f"{f.name}=_d{number}")
                seen_default = True
            elif f.factory is not _MISSING:
                scope[f"_f{number}"] = f.factory
                params.append(f"{f.name}=_MISSING")
                body.append(f" if {f.name} is _MISSING: {f.name} = _f{number}()")
                seen_default = True
            elif seen_default:
                raise TypeError(f"{cls.__qualname__}: field {f.name!r} without a default "
                                "follows one with a default")  # fmt: skip
            else:
                params.append(f.name)
            body.append(f" _set(self, {f.name!r}, {f.name})")
        elif f.default is not _MISSING:
            scope[f"_d{number}"] = f.default
            body.append(f" _set(self, {f.name!r}, _d{number})")
        elif f.factory is not _MISSING:
            scope[f"_f{number}"] = f.factory
            body.append(f" _set(self, {f.name!r}, _f{number}())")
    if hasattr(cls, "__post_init__"):
        body.append(" self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or " pass")
    exec(source, scope)
    made: Callable[..., None] = scope["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self.__record_key__
    return bool(key(self) == key(other))


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_shown__)
    return f"{self.__class__.__qualname__}({shown})"


def _frozen(self: Any, name: str, value: Any = None) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


_SHARED = {"__eq__": _eq, "__hash__": _hash, "__repr__": _repr, "__setattr__": _frozen,
           "__delattr__": _frozen}  # fmt: skip
