"""Forms that prevent mistakes: amounts in an explicit unit, selects that say 请选择."""

from decimal import Decimal

from django import forms

from wulian.core.forms import AmountField, TablerFormMixin


class _Form(TablerFormMixin, forms.Form):
    amount = AmountField(label="计划总投资")
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])


def test_an_amount_is_read_in_the_unit_chosen_beside_it():
    in_yi = _Form({"amount_0": "123", "amount_1": "yi", "kind": "a"})
    assert in_yi.is_valid(), in_yi.errors
    assert in_yi.cleaned_data["amount"] == Decimal("1230000.00")  # 123 亿元 = 1,230,000 万元

    in_wan = _Form({"amount_0": "123", "amount_1": "wan", "kind": "a"})
    assert in_wan.is_valid()
    assert in_wan.cleaned_data["amount"] == Decimal("123.00")

    # no unit, no amount: refused rather than guessed
    assert not _Form({"amount_0": "123", "amount_1": "", "kind": "a"}).is_valid()
    assert not _Form({"amount_0": "-1", "amount_1": "yi", "kind": "a"}).is_valid()


def test_an_amount_is_shown_in_yi_when_it_reads_well_there():
    widget = AmountField().widget
    assert widget.decompress(Decimal("1230000")) == [Decimal("123"), "yi"]
    assert widget.decompress(Decimal("1234.5")) == [Decimal("1234.5"), "wan"]
    html = _Form(initial={"amount": Decimal("50000")}).as_p()
    assert 'value="5"' in html and '<option value="yi" selected>亿元</option>' in html


def test_selects_say_please_choose():
    html = _Form().as_p()
    assert "请选择" in html and "---------" not in html


def test_pages_show_no_template_comment_text(client, users):
    client.force_login(users["econ"])
    html = client.get("/").content.decode()
    assert "{#" not in html and "#}" not in html
    assert 'data-testid="confirm-dialog"' in html


def test_the_unit_offered_first_is_the_one_the_page_shows():
    class Monthly(TablerFormMixin, forms.Form):
        amount = AmountField(label="完成投资", unit="wan")

    assert '<option value="wan" selected>万元</option>' in Monthly().as_p()
