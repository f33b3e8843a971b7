"""``dak_monitor._registry.Registry``: ordered declarations by code, refusing duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dak_monitor._registry import Registry


@dataclass(frozen=True)
class Item:
    code: str
    note: str = ""


codes = st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=15)
some_codes = st.lists(st.text(min_size=1, max_size=8), unique=True, min_size=1, max_size=15)


@given(codes)
def test_keeps_insertion_order(names: list[str]) -> None:
    items = [Item(c) for c in names]
    reg = Registry("item", items)
    assert reg.codes == tuple(names)
    assert list(reg) == names
    assert list(reg.values()) == items
    assert len(reg) == len(names)


@given(codes)
def test_add_one_by_one_keeps_the_same_order(names: list[str]) -> None:
    reg: Registry[Item] = Registry("item")
    for c in names:
        reg.add(Item(c))
    assert reg.codes == tuple(names)


@given(some_codes, st.data())
def test_refuses_a_duplicate_code(names: list[str], data: st.DataObject) -> None:
    reg = Registry("item", [Item(c) for c in names])
    dup = data.draw(st.sampled_from(names))
    with pytest.raises(ValueError, match="twice"):
        reg.add(Item(dup, note="second"))
    assert reg.codes == tuple(names)  # nothing changed
    assert reg[dup].note == ""  # the first declaration stays


def test_duplicate_message_names_what_and_code() -> None:
    with pytest.raises(ValueError, match=r"^flag 'x' is registered twice"):
        Registry("flag", [Item("x"), Item("x")])


def test_check_is_run_and_its_complaint_refused() -> None:
    seen: list[Item] = []

    def check(item: Item) -> str | None:
        seen.append(item)
        return None if item.code.islower() else "code must be lower case"

    ok = Item("abc")
    reg = Registry("term", [ok], check=check)
    assert seen == [ok]
    bad = Item("ABC")
    with pytest.raises(ValueError, match="code must be lower case") as info:
        reg.add(bad)
    assert "'ABC'" in str(info.value)
    assert str(info.value).startswith("term")
    assert seen == [ok, bad]
    assert "ABC" not in reg
    assert reg.codes == ("abc",)


def test_check_in_the_constructor_refuses_too() -> None:
    with pytest.raises(ValueError, match="no note"):
        Registry("item", [Item("a", "x"), Item("b")],
                 check=lambda i: None if i.note else "no note")


def test_remove_then_add_again() -> None:
    reg = Registry("item", [Item("a"), Item("b"), Item("c")])
    reg.remove("b")
    assert reg.codes == ("a", "c")
    assert "b" not in reg
    with pytest.raises(KeyError):
        reg["b"]
    again = Item("b", note="again")
    reg.add(again)
    assert reg.codes == ("a", "c", "b")  # a re-added code goes to the end
    assert reg["b"] is again


def test_remove_unknown_code_is_a_key_error() -> None:
    reg = Registry("item", [Item("a")])
    with pytest.raises(KeyError):
        reg.remove("zz")
    assert reg.codes == ("a",)


def test_mapping_behaviour() -> None:
    a, b = Item("a", "first"), Item("b", "second")
    reg = Registry("item", [a, b])
    assert isinstance(reg, Mapping)
    assert len(reg) == 2
    assert "a" in reg
    assert "b" in reg
    assert "c" not in reg
    assert reg["a"] is a
    assert reg["b"] is b
    assert list(reg.keys()) == ["a", "b"]
    assert list(reg.items()) == [("a", a), ("b", b)]
    assert reg.get("c") is None
    assert reg.get("c", a) is a
    assert dict(reg) == {"a": a, "b": b}
    with pytest.raises(KeyError):
        reg["c"]


def test_empty_registry() -> None:
    reg: Registry[Item] = Registry("item")
    assert len(reg) == 0
    assert reg.codes == ()
    assert list(reg) == []


def test_codes_is_a_snapshot() -> None:
    reg = Registry("item", [Item("a")])
    before = reg.codes
    reg.add(Item("b"))
    assert before == ("a",)
    assert reg.codes == ("a", "b")
