"""Regular expressions compiled the first time they are used.

A command that changes one note loads the parser and the report's modules, and most of
their patterns are never used by it (a note without tasks needs none of the task
patterns): compiling them all at import cost about 3 ms a run. ``lazy`` gives a stand-in
that compiles its pattern on first use; given the module's namespace and its own name
there, it then puts the compiled pattern in its place, so that the code reading the name
afterwards gets the pattern itself, at no cost on the hot paths.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _Pattern:
    __slots__ = ("_compiled", "_flags", "_name", "_namespace", "_pattern")

    def __init__(
        self, pattern: str, flags: int, namespace: dict[str, Any] | None, name: str
    ) -> None:
        self._pattern = pattern
        self._flags = flags
        self._namespace = namespace
        self._name = name
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, attr: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._pattern, self._flags)
            if self._namespace is not None and self._namespace.get(self._name) is self:
                self._namespace[self._name] = compiled
        return getattr(compiled, attr)

    def __repr__(self) -> str:
        return f"lazy({self._pattern!r})"


def lazy(
    pattern: str, flags: int = 0, *, namespace: dict[str, Any] | None = None, name: str = ""
) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used; then, with
    ``namespace`` (a module's ``globals()``), ``namespace[name]`` becomes the compiled
    pattern (when it still holds this stand-in)."""
    return cast("re.Pattern[str]", _Pattern(pattern, flags, namespace, name))
