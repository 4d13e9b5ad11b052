"""The catalogues: every key in every language, the same placeholders, formats per language."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from orglens.errors import UsageError
from orglens.i18n import (
    LANGUAGES,
    catalogue,
    date,
    decimal,
    duration,
    integer,
    listed,
    number,
    percent,
    t,
    using,
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_language() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    english = keys["en"]
    for lang, found in keys.items():
        assert found - english == set(), f"only in {lang}: {sorted(found - english)}"
        assert english - found == set(), f"missing in {lang}: {sorted(english - found)}"


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_translations_use_the_same_placeholders(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    differ = {
        key: (sorted(placeholders(text)), sorted(placeholders(other[key])))
        for key, text in english.items()
        if placeholders(text) != placeholders(other[key])
    }
    assert differ == {}


def test_no_translation_is_left_empty() -> None:
    for lang in LANGUAGES:
        assert [key for key, text in catalogue(lang).items() if not text.strip()] == []


def test_swedish_numbers_group_with_spaces_and_use_a_decimal_comma() -> None:
    with using("sv"):
        assert decimal(1234.5) == "1\u00a0234,5"
        assert integer(1234567) == "1\u00a0234\u00a0567"
        assert number(1.4534) == "1,45"
        assert number(1250) == "1\u00a0250"
        assert percent(0.3436) == "34\u00a0%"
        assert number(-2.5) == "\u22122,5"
    assert decimal(1234.5) == "1,234.5"
    assert number(1250) == "1250"  # English advice texts read as they always have
    assert percent(0.3436) == "34%"


def test_dates_read_as_each_language_writes_them() -> None:
    day = dt.date(2026, 12, 4)
    assert date(day) == "4 Dec 2026"
    with using("sv"):
        assert date(day) == "4 dec 2026"


def test_lists_and_durations_follow_the_language() -> None:
    assert listed(["a", "b", "c"]) == "a, b and c"
    assert duration(5400) == "1.5 hours"
    with using("sv"):
        assert listed(["a", "b", "c"]) == "a, b och c"
        assert duration(5400) == "1,5 timmar"
        assert duration(86400 * 3) == "3 dagar"
        assert t("common.none") == "inga"
    assert listed([]) == "none"


def test_an_unknown_language_is_a_usage_error_naming_the_languages() -> None:
    with pytest.raises(UsageError, match=r"'de'.*en, sv"), using("de"):
        pass
