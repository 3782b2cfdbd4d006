"""index/schema.py's stored encodings: each written and read back by the same pair of helpers."""

import datetime

import numpy as np
import pytest

from index import schema


@pytest.mark.parametrize(("date", "year", "day", "text"), [
    (datetime.date(2020, 1, 30), None, 20200130, "2020-01-30"),
    (datetime.date(1987, 10, 2), 1999, 19871002, "1987-10-02"),  # a known day wins over a year
    (None, 2021, 20210000, "2021"),
    (None, None, 0, None),
])
def test_day_numbers(date, year, day, text):
    assert schema.day_number(date, year) == day
    assert schema.day_text(day) == text


def test_months_and_years_of_days_also_over_arrays():
    days = np.array([20200130, 20210000, 0])
    assert schema.day_month(days).tolist() == [202001, 202100, 0]
    assert schema.day_year(days).tolist() == [2020, 2021, 0]
    assert schema.month_text(schema.day_month(20200130)) == "2020-01"
    assert schema.month_from_text("2020-01") == 202001 and schema.day_from_text("2020-01-30") == 20200130


def test_stored_dates():
    stored = schema.stored_date(datetime.date(2020, 1, 30))
    assert schema.date_text(stored) == "2020-01-30" and schema.date_text(None) is None


def test_figures_are_joined_once_each_and_split_back():
    joined = schema.join_figures(["Igor Rudeni", " Valentina Matvienko ", "Igor Rudeni", "Smith, John", ""])
    assert joined == "Igor Rudeni,Valentina Matvienko,Smith  John"
    assert schema.split_figures(joined) == ["Igor Rudeni", "Valentina Matvienko", "Smith  John"]
    assert schema.split_figures(None) == schema.split_figures("") == []


def test_checksum_terms_split_back_even_with_tabs_in_ids():
    term = schema.checksum_term("a\tb", "0123abcd")
    assert schema.split_checksum_term(term) == ("a\tb", "0123abcd")
