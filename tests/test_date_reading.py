"""Reading dates: one validity rule (a real day from 1800 to today + 2 days), date strings and values,
dates found in text (index/dates.py)."""

import datetime

from index.dates import find_date_in_text
from index.dates import parse_date_string
from index.dates import parse_date_value
from index.dates import text_dates
from index.dates import valid_date
from index.dates import valid_year

TODAY = datetime.date.today()


def test_one_validity_rule_from_1800_to_two_days_ahead():
    assert valid_date(1800, 1, 1) == datetime.date(1800, 1, 1)
    assert valid_date(1799, 12, 31) is None
    ahead = TODAY + datetime.timedelta(days=2)
    assert valid_date(ahead.year, ahead.month, ahead.day) == ahead
    later = TODAY + datetime.timedelta(days=3)
    assert valid_date(later.year, later.month, later.day) is None
    assert valid_date(2019, 2, 29) is None
    assert valid_year(1987) and not valid_year(1799) and not valid_year(TODAY.year + 1)


def test_every_input_reads_a_1987_date_alike():
    assert parse_date_value("1987-03-02") == (datetime.date(1987, 3, 2), 1987)
    assert parse_date_string("1987-03-02T10:00:00Z") == datetime.date(1987, 3, 2)
    assert find_date_in_text("Filed on March 2, 1987 in London")[0] == datetime.date(1987, 3, 2)


def test_written_dates_in_several_languages():
    text = "12. März 2019, 3 de mayo de 2018, March 4th, 2017, 5th of June 2016, 06.07.2015, 2014-08-09"
    assert [found for found, _, _ in text_dates(text)] == [
        datetime.date(2019, 3, 12), datetime.date(2018, 5, 3), datetime.date(2017, 3, 4),
        datetime.date(2016, 6, 5), datetime.date(2015, 7, 6), datetime.date(2014, 8, 9)]


def test_slash_dates_only_when_the_order_is_certain():
    assert parse_date_string("11/01/2023 12:43:42") is None
    assert parse_date_string("06/13/2019") == datetime.date(2019, 6, 13)
    assert parse_date_string("13/06/2019") == datetime.date(2019, 6, 13)
    assert parse_date_string("Sat, 19 Oct 2019 00:04") == datetime.date(2019, 10, 19)
    assert parse_date_string("October 2019") is None


def test_month_day_and_stated_year():
    assert find_date_in_text("this year 2020 the memorial opens on January 30") == (
        None, 2020, (1, 30))
    assert find_date_in_text("this year 1700, on May 3") == (None, None, (5, 3))
