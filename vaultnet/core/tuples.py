"""``NamedTuple`` as ``typing`` has it, made without checking each field's annotation.

Under ``from __future__ import annotations`` (every module here) a field's annotation is a
string, and ``typing.NamedTuple`` compiles each one to check it (a ``ForwardRef``): about
115 us a class, where ``collections.namedtuple`` makes it in 50. A command that parses one
changed note defines some twenty of them. This one makes the same class: the fields, their
defaults, the annotations (as the strings they are), the methods and the docstring of the
class body, on ``collections.namedtuple``. Type checkers see ``typing.NamedTuple`` itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    # What typing's NamedTupleMeta (3.11) leaves alone, and what a class body may not set.
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
    _PROHIBITED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
         "_make", "_replace", "_asdict", "_source"}
    )  # fmt: skip

    class _Meta(type):
        def __new__(mcs, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
            if bases != (_Base,):
                raise TypeError("a NamedTuple here can only inherit from NamedTuple")
            types = ns.get("__annotations__", {})
            defaults = []
            for name in types:
                if name in ns:
                    defaults.append(ns[name])
                elif defaults:
                    raise TypeError(f"Non-default namedtuple field {name} cannot follow default")
            made = collections.namedtuple(
                typename, list(types), defaults=defaults, module=ns["__module__"]
            )
            made.__annotations__ = made.__new__.__annotations__ = dict(types)
            for key, value in ns.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in made._fields:
                    setattr(made, key, value)
            return made

    _Base = type.__new__(_Meta, "NamedTuple", (), {})

    class _NamedTuple:
        """What ``class X(NamedTuple)`` derives from (as ``typing.NamedTuple``)."""

        def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
            return (_Base,)

    NamedTuple = _NamedTuple()
