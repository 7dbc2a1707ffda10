"""Property tests: invariants that must hold for any valid answers.

Answers are generated from the products' own question definitions, so a
new product is covered without touching this file.
"""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bipro.core.tariff import QuestionType, catalogue, get_product, quote

ON = date(2025, 6, 1)
# Birth dates giving ages 18 to 75 on ON, valid for every product.
BIRTH_DATES = st.dates(min_value=date(1950, 6, 2), max_value=date(2007, 6, 1))
PRODUCTS = catalogue.on_offer(ON)


def _number(question):
    low, high, step = question.minimum, question.maximum, question.step
    if question.name == "construction_year":
        high = Decimal(ON.year)  # the future is rejected by a derived check
    if question.type is QuestionType.INTEGER:
        step = int(step or 1)
        return st.integers(0, int((high - low) // step)).map(
            lambda k: int(low) + k * step)
    return st.decimals(min_value=low, max_value=high, places=2)


def _answer(question):
    if question.type is QuestionType.CHOICE:
        value = st.sampled_from(question.choice_values)
    elif question.type is QuestionType.BOOLEAN:
        value = st.booleans()
    elif question.type is QuestionType.DATE:
        value = BIRTH_DATES
    elif question.type is QuestionType.TEXT:
        value = st.from_regex(question.pattern, fullmatch=True)
    else:
        value = _number(question)
    # Optional questions may be left out to exercise the defaults.
    return value if question.required else st.one_of(st.none(), value)


def answers_for(product):
    return st.fixed_dictionaries(
        {q.name: _answer(q) for q in product.questions}).map(
        lambda answers: {k: v for k, v in answers.items() if v is not None})


def _satisfies_constraints(product, answers):
    # At least one Rechtsschutz module, Beruf only with Privat.
    if product.product_id != "RS-BAUSTEIN":
        return True
    modules = [answers.get(name, False)
               for name in ("private", "job", "traffic", "home")]
    return any(modules) and (not answers.get("job") or answers.get("private"))


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.product_id)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_premium_invariants(product, data):
    answers = data.draw(answers_for(product).filter(
        lambda a: _satisfies_constraints(product, a)))
    result = quote(product.product_id, answers, on=ON)

    assert result.annual_net >= product.minimum_premium > 0
    assert result.line("1").net == result.annual_net
    for line in result.lines:
        assert line.gross == line.net + line.tax
        assert min(line.net, line.tax, line.gross) >= 0
        # Paying in instalments never costs less than paying once a year.
        assert line.annual_net >= result.annual_net
        # Tax is 19 % of the net, off by at most half a cent of rounding.
        assert abs(line.tax - line.net * Decimal("0.19")) <= Decimal("0.005")
        for amount in (line.net, line.tax, line.gross):
            assert amount.as_tuple().exponent == -2
    monthly = result.line("8")
    assert monthly.net * 12 >= result.annual_net


@settings(max_examples=100, deadline=None)
@given(area=st.decimals(min_value=10, max_value=1000, places=2),
       more=st.decimals(min_value=0, max_value=100, places=2),
       postcode=st.from_regex(r"[0-9]{5}", fullmatch=True))
def test_larger_home_never_costs_less(area, more, postcode):
    bigger = min(area + more, Decimal(1000))
    small = quote("HR-KOMFORT", {"living_area": area, "postcode": postcode},
                  on=ON)
    large = quote("HR-KOMFORT", {"living_area": bigger, "postcode": postcode},
                  on=ON)
    assert large.annual_net >= small.annual_net


@settings(max_examples=100, deadline=None)
@given(area=st.decimals(min_value=10, max_value=1000, places=2))
def test_decimal_comma_string_equals_decimal(area):
    as_string = format(area, "f").replace(".", ",")
    answers = {"postcode": "10115"}
    assert quote("HR-KOMFORT", {**answers, "living_area": as_string},
                 on=ON).lines == \
        quote("HR-KOMFORT", {**answers, "living_area": area}, on=ON).lines


@settings(max_examples=50, deadline=None)
@given(answers=answers_for(get_product("HR-KOMFORT", on=ON)))
def test_2026_rates_are_never_lower(answers):
    old = quote("HR-KOMFORT", answers, on=date(2025, 12, 31))
    new = quote("HR-KOMFORT", answers, on=date(2026, 1, 1))
    assert new.annual_net >= old.annual_net
