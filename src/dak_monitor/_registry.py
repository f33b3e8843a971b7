"""One ordered registry, for every catalogue declared once: terms, checks, flags.

A :class:`Registry` holds declarations by their ``code``, in the order they were added,
refuses a code twice, and lets each catalogue say what makes a declaration well-formed.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Item:
...     code: str
>>> reg = Registry("item", [Item("a")], check=lambda i: None if i.code.islower() else "upper")
>>> reg.add(Item("b")); reg.codes
('a', 'b')
>>> reg.add(Item("a"))
Traceback (most recent call last):
...
ValueError: item 'a' is registered twice (a duplicate code)
>>> reg.add(Item("C"))
Traceback (most recent call last):
...
ValueError: item 'C': upper
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Mapping[str, T], Generic[T]):
    """Declarations by code, in order; ``check(item)`` returns what is wrong, or None."""

    def __init__(self, what: str, items: Iterable[T] = (), *,
                 check: Callable[[T], str | None] | None = None) -> None:
        self._what = what
        self._check = check
        self._items: dict[str, T] = {}
        for item in items:
            self.add(item)

    def __getitem__(self, code: str) -> T:
        return self._items[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self._items)})"

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, in order."""
        return tuple(self._items)

    def add(self, item: T) -> None:
        """Add a declaration; a code already taken, or a malformed item, is a ValueError."""
        code = _code(item)
        if code in self._items:
            msg = f"{self._what} {code!r} is registered twice (a duplicate code)"
            raise ValueError(msg)
        problem = self._check(item) if self._check is not None else None
        if problem:
            msg = f"{self._what} {code!r}: {problem}"
            raise ValueError(msg)
        self._items[code] = item

    def remove(self, code: str) -> None:
        """Take a declaration out (for extensions and tests that add their own)."""
        del self._items[code]


def _code(item: Any) -> str:
    return str(item.code)
