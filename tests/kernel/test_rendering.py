"""`{% url %}` remembered (marketplace/kernel/rendering.py) and state labels looked up in a table kept on the field
(marketplace/kernel/labels.py): each must write exactly what Django writes, in the reader's language, after any
change of what its answer depends on."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from marketplace.asks.models import Ask


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context)).strip()


class Named:
    """An argument whose text changes, as a model's str() does when it is renamed."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def test_url_writes_what_reverse_writes_each_time_for_each_argument():
    for slug in ("roasters", "tea-house", "roasters"):
        assert render("{% url 'shop:vendor-detail' slug %}", slug=slug) == reverse("shop:vendor-detail", args=[slug])
    for pk in (1, 2, 1):
        assert render("{% url 'asks:detail' pk=pk %}", pk=pk) == reverse("asks:detail", kwargs={"pk": pk})
    assert render("{% url 'shop:vendor-list' as link %}[{{ link }}]") == f"[{reverse('shop:vendor-list')}]"


def test_url_of_an_object_argument_follows_its_text():
    vendor = Named("first-name")
    assert render("{% url 'shop:vendor-detail' vendor %}", vendor=vendor).endswith("/first-name/")
    vendor.text = "renamed"
    assert render("{% url 'shop:vendor-detail' vendor %}", vendor=vendor).endswith("/renamed/")


def test_url_to_no_route_raises_or_writes_nothing_as_django_does():
    with pytest.raises(NoReverseMatch):
        render("{% url 'shop:no-such-page' %}")
    assert render("{% url 'shop:no-such-page' as link %}[{{ link }}]") == "[]"


def test_url_follows_the_script_prefix_and_a_changed_urlconf():
    plain = render("{% url 'shop:vendor-list' %}")
    set_script_prefix("/market/")
    try:
        assert render("{% url 'shop:vendor-list' %}") == "/market" + plain
    finally:
        set_script_prefix("/")
    assert render("{% url 'shop:vendor-list' %}") == plain
    with override_settings(ROOT_URLCONF="tests.kernel.alt_urls"):
        assert render("{% url 'vendor-list' %}") == "/elsewhere/vendors/"
    assert render("{% url 'shop:vendor-list' %}") == plain


def test_state_labels_read_in_the_readers_language_and_an_unknown_state_as_it_is():
    ask = Ask(state=Ask.State.OPEN)
    with translation.override("en"):
        assert ask.get_state_display() == "Open"
    with translation.override("zh-hant"):
        assert ask.get_state_display() == "開放中"
    ask.state = "mislaid"
    assert ask.get_state_display() == "mislaid"
