"""The frozen value classes of the rules engine behave as frozen dataclasses do."""

from __future__ import annotations

import pickle

import pytest

from leadtime.record import FrozenInstanceError, field, record, replace


@record
class Base:
    name: str
    size: int = 1


@record
class Child(Base):
    tags: list[str] = field(default_factory=list)
    memo: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    total: int = field(default=0, init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", self.size * 10)


def test_fields_come_in_order_with_defaults_factories_and_post_init() -> None:
    made = Child("a", 2, ["x"])
    assert (made.name, made.size, made.tags, made.memo, made.total) == ("a", 2, ["x"], {}, 20)
    assert Child(name="b").size == 1
    first, second = Child("c"), Child("c")
    first.tags.append("t")
    assert second.tags == []  # a factory's value is each instance's own
    with pytest.raises(TypeError):
        Child()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Child("a", 1, [], {}, 5)  # type: ignore[call-arg]  # total is not an argument


def test_equality_and_hash_read_only_the_compared_fields() -> None:
    one, two = Child("a", 2, ["x"]), Child("a", 2, ["x"])
    object.__setattr__(two, "memo", {"seen": 1})
    assert one == two
    assert Child("a", 2) != Child("a", 3)
    assert Base("a") != Child("a")  # another class is never equal
    assert hash(Base("a", 2)) == hash(Base("a", 2))
    assert len({Base("a"), Base("a"), Base("b")}) == 2


def test_a_record_is_frozen() -> None:
    made = Base("a")
    with pytest.raises(FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del made.size  # type: ignore[misc]
    assert made == Base("a")


def test_replace_makes_a_new_record_and_runs_post_init_again() -> None:
    made = Child("a", 2, ["x"])
    changed = replace(made, size=5)
    assert (changed.name, changed.size, changed.tags, changed.total) == ("a", 5, ["x"], 50)
    assert made.size == 2
    with pytest.raises(TypeError):
        replace(made, total=3)
    with pytest.raises(TypeError):
        replace(made, colour="red")


def test_repr_shows_the_shown_fields_and_pickling_keeps_the_values() -> None:
    made = Child("a", 2, ["x"])
    assert repr(made) == "Child(name='a', size=2, tags=['x'], total=20)"
    assert pickle.loads(pickle.dumps(made)) == made


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="follows one with a default"):

        @record
        class Broken:
            first: int = 0
            second: int  # type: ignore[misc]


def test_a_class_with_its_own_equality_keeps_it_and_stays_hashable() -> None:
    @record
    class Loose:
        text: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Loose) and self.text.lower() == other.text.lower()

    assert Loose("A") == Loose("a")
    assert hash(Loose("a")) == hash(Loose("a"))


@pytest.mark.parametrize("compared", [0, 1, 2])
def test_equality_and_hash_with_any_number_of_compared_fields(compared: int) -> None:
    @record
    class Few:
        a: int = field(default=0, compare=compared >= 1)
        b: int = field(default=0, compare=compared >= 2)

    assert Few(1, 2) == Few(1, 2) and hash(Few(1, 2)) == hash(Few(1, 2))
    assert (Few(1, 2) == Few(1, 3)) is (compared < 2)
    assert (Few(1, 2) == Few(4, 2)) is (compared < 1)


def test_two_readings_of_one_rules_file_give_equal_rules() -> None:
    """The engine's records compare by value all the way down (conditions, their keyword
    vocabularies, a record of one compared field)."""
    from leadtime.rules import parse_rules_text

    text = (
        '[[rule]]\nname = "r"\ncategory = "hands-on"\ntitle = ["deploy", "rollout"]\n'
        'source = ["log"]\nduration = "< 30m"\n'
    )
    first = parse_rules_text(text, origin="a").ruleset().rules
    second = parse_rules_text(text, origin="a").ruleset().rules
    assert first == second
    changed = parse_rules_text(text.replace("rollout", "release"), origin="a").ruleset().rules
    assert changed != first
