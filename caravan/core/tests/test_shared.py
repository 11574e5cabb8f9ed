"""Look-ups shared by the pages of one batch of files (caravan/core/shared.py)."""

from caravan.core import tracking
from caravan.core.shared import lookup, shared, sharing


def counting():
    calls = []

    def compute():
        calls.append(1)
        tracking.record({"core.thing:1"})
        return len(calls)

    return calls, compute


def test_outside_a_batch_every_call_computes_afresh():
    calls, compute = counting()
    assert [shared(("thing",), compute) for _ in range(3)] == [1, 2, 3]


def test_in_a_batch_a_look_up_is_computed_once_per_key():
    calls, compute = counting()
    with sharing():
        assert shared(("thing", "en"), compute) == 1
        assert shared(("thing", "en"), compute) == 1
        assert shared(("thing", "ru"), compute) == 2
    assert len(calls) == 2
    with sharing():  # a new batch starts empty
        assert shared(("thing", "en"), compute) == 3


def test_every_page_that_reuses_a_look_up_records_what_it_read():
    _calls, compute = counting()
    with sharing():
        with tracking.recording() as first:
            shared(("thing",), compute)
        with tracking.recording() as second:
            shared(("thing",), compute)  # kept value: its keys are recorded again
    assert first == second == {"core.thing:1"}


def test_a_whole_build_answers_every_item_from_one_look_up_and_a_publish_asks_each():
    """`lookup`: a page served alone, or the few files a publish re-renders, asks for its
    own item; a whole build (bulk) asks once for every item."""
    asked = []

    def every():
        asked.append("every")
        return {"valve": {1, 2}, "meter": {3}}

    def one(item):
        def answer():
            asked.append(item)
            return {"valve": {1, 2}, "meter": {3}}.get(item)

        return answer

    assert lookup(("mentions",), "valve", every=every, one=one("valve")) == {1, 2}
    with sharing():
        assert lookup(("mentions",), "meter", every=every, one=one("meter")) == {3}
    assert asked == ["valve", "meter"]
    asked.clear()
    with sharing(bulk=True):
        assert lookup(("mentions",), "valve", every=every, one=one("valve")) == {1, 2}
        assert lookup(("mentions",), "meter", every=every, one=one("meter")) == {3}
        assert lookup(("mentions",), "gate", every=every, one=one("gate")) is None
    assert asked == ["every"]


def test_markup_is_kept_per_name_and_values_but_not_through_a_whole_build():
    """`{% shared %}`: a card (a name and values) is kept for the next pages of a batch or
    of anonymous visitors; a whole build, which shows each card about once, keeps only
    the markup named alone (the footer)."""
    from django.template import Context, Template

    template = Template(
        '{% load caravan_tags %}{% shared "footer" %}F{{ n }}{% endshared %}'
        '{% shared "card" pk %}C{{ n }}{% endshared %}'
    )

    def render(pk, n):
        return template.render(Context({"pk": pk, "n": n}))

    with sharing():
        assert render(1, 1) == "F1C1"
        assert render(1, 2) == "F1C1"  # both kept
        assert render(2, 3) == "F1C3"  # another card
    with sharing(bulk=True):
        assert render(1, 1) == "F1C1"
        assert render(1, 2) == "F1C2"  # the card rendered again
    assert render(1, 5) == "F5C5"  # outside a batch: nothing kept
