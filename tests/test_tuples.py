"""``core.tuples.NamedTuple`` makes the class ``typing.NamedTuple`` makes, only cheaper."""

from __future__ import annotations

import pickle
import typing
from datetime import date

import pytest

from vaultnet.core import tuples
from vaultnet.core.model import Link


def _pair(base: typing.Any) -> typing.Any:
    class Visit(base):  # type: ignore[misc,valid-type]
        """A visit."""

        day: date
        where: str = "home"
        who: tuple[str, ...] = ()

        def label(self) -> str:
            return f"{self.day:%Y-%m-%d} at {self.where}"

        @property
        def alone(self) -> bool:
            return not self.who

    return Visit


def test_the_class_is_the_one_typing_makes() -> None:
    ours, theirs = _pair(tuples.NamedTuple), _pair(typing.NamedTuple)
    for cls in (ours, theirs):
        v = cls(date(2026, 12, 1))
        assert v == (date(2026, 12, 1), "home", ())
        assert v.label() == "2026-12-01 at home" and v.alone
        assert v._replace(where="work").where == "work"
        assert cls._make([date(2026, 1, 2), "x", ("a",)]).who == ("a",)
    assert ours._fields == theirs._fields == ("day", "where", "who")
    assert ours._field_defaults == theirs._field_defaults
    assert ours.__doc__ == theirs.__doc__ == "A visit."
    # The annotations are the strings written (typing wraps each in a ForwardRef it had to
    # compile); resolved, both are the same types.
    assert ours.__annotations__ == {"day": "date", "where": "str", "who": "tuple[str, ...]"}
    hints = {"date": date}
    assert typing.get_type_hints(ours, hints) == typing.get_type_hints(theirs, hints)
    assert ours.__mro__[1:] == theirs.__mro__[1:] == (tuple, object)
    assert repr(ours(date(2026, 12, 1))) == repr(theirs(date(2026, 12, 1)))


def test_a_module_level_one_pickles_and_keeps_its_module() -> None:
    link = Link(3, "ana lima", "quote", date(2026, 11, 20))
    assert pickle.loads(pickle.dumps(link)) == link
    assert type(pickle.loads(pickle.dumps(link))) is Link
    assert Link.__module__ == "vaultnet.core.model" and Link.__qualname__ == "Link"


def test_what_typing_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot follow default"):

        class Bad(tuples.NamedTuple):
            a: int = 1
            b: int  # type: ignore[misc]

    with pytest.raises(AttributeError, match="_replace"):

        class Worse(tuples.NamedTuple):
            a: int

            def _replace(self) -> None: ...  # type: ignore[misc]
