"""Belgian formats (Babel) for what a person reads, and the parsers for what a person types."""
from datetime import date

import pytest

from art60kit.formats import (ParseError, format_date, format_date_long, format_integer, format_number,
                              format_percent, parse_date, parse_number)


@pytest.mark.parametrize("lang,num,pct,long", [
    ("fr", "17\u202f500,25", "16,5\u00a0%", "14 novembre 1988"),
    ("nl", "17.500,25", "16,5%", "14 november 1988"),
    ("de", "17.500,25", "16,5\u00a0%", "14. November 1988"),
    ("en", "17.500,25", "16,5%", "14 November 1988"),
])
def test_belgian_formats(lang, num, pct, long):
    assert format_date(date(1988, 11, 14), lang) == "14/11/1988"
    assert format_number(17500.25, lang) == num
    assert format_percent(0.165, lang) == pct
    assert format_date_long(date(1988, 11, 14), lang) == long
    assert format_number(47.84214, lang).endswith("47,8421")
    assert format_integer(36, lang) == "36"
    assert format_date(None, lang) == format_number(None, lang) == "—"


@pytest.mark.parametrize("typed", ["14/11/1988", "14/11/1988 ", "14.11.1988", "14-11-1988", "1988-11-14"])
def test_dates_as_people_type_them(typed):
    assert parse_date(typed) == date(1988, 11, 14)


def test_day_and_month_without_leading_zero():
    assert parse_date("1/3/2026") == date(2026, 3, 1)


@pytest.mark.parametrize("typed", ["31/02/2026", "14/11/88", "11/14/1988", "1988-14-11", "", "demain"])
def test_unreadable_dates_are_refused_with_a_message(typed):
    with pytest.raises(ParseError) as e:
        parse_date(typed)
    assert "14/11/1988" in e.value.message("fr") and "TT/MM/JJJJ" in e.value.message("de")


@pytest.mark.parametrize("typed,value", [
    ("7,5", 7.5), ("7.5", 7.5), ("1560", 1560), ("1 560", 1560), ("1\u202f560,5", 1560.5),
    ("1.560,5", 1560.5), ("12.000.000", 12e6), ("1,560.5", 1560.5), ("0.125", 0.125), ("-3,25", -3.25),
    (",5", 0.5), (38, 38),
])
def test_numbers_as_people_type_them(typed, value):
    assert parse_number(typed) == value


def test_ambiguous_and_unreadable_numbers():
    with pytest.raises(ParseError) as e:
        parse_number("1.560")
    assert e.value.key == "format.ambiguous_number"
    # the two readings of what was typed, as the person should type each
    assert "schrijf 1560 voor het gehele getal of 1,56 voor het decimale getal" in e.value.message("nl")
    with pytest.raises(ParseError) as e:
        parse_number("2.500")
    assert "écrivez 2500 pour le nombre entier ou 2,5 pour le nombre décimal" in e.value.message("fr")
    for bad in ("", "abc", "1,2,3", "7,5 j"):
        with pytest.raises(ParseError):
            parse_number(bad)
