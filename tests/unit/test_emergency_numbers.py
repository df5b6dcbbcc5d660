"""The emergency number named to a patient comes from the country of their time zone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recovery import ProtocolError
from recovery.emergency import country_of_zone, emergency_number, emergency_numbers, load_numbers
from services.context import ServiceConfig

EU = re.findall(r"[A-Z]{2}", "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO")
EU += ["SK", "SI", "ES", "SE"]
# The 40 most populous countries (UN World Population Prospects 2024).
MOST_POPULOUS = re.findall(
    r"[A-Z]{2}",
    "IN CN US ID PK NG BR BD RU ET MX JP EG PH CD VN IR TR DE TH "
    "TZ GB FR ZA IT KE MM CO KR SD UG ES DZ IQ AR AF YE CA PL MA",
)


@pytest.mark.parametrize(
    ("zone", "number"),
    [
        ("Europe/London", "999"),
        ("America/New_York", "911"),
        ("America/Toronto", "911"),
        ("Europe/Berlin", "112"),
        ("Australia/Sydney", "000"),
        ("Pacific/Auckland", "111"),
        ("Asia/Tokyo", "119"),
        ("America/Sao_Paulo", "192"),
    ],
)
def test_a_zone_gives_the_number_of_its_country(zone: str, number: str) -> None:
    assert emergency_number(zone, default="unused") == number


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Etc/GMT+3", "Antarctica/Troll", "No/Such"])
def test_a_zone_without_a_listed_country_gets_the_setting(zone: str) -> None:
    assert emergency_number(zone, default="118") == "118"


def test_emergency_number_setting_wins_for_every_patient_and_112_is_the_last_resort() -> None:
    pinned = ServiceConfig(emergency_number="999")
    assert pinned.emergency_number_for("America/New_York") == "999"
    assert ServiceConfig().emergency_number_for("Europe/London") == "999"
    assert ServiceConfig().emergency_number_for("Etc/UTC") == "112"


def test_the_table_covers_the_eu_and_the_most_populous_countries_each_with_a_source() -> None:
    table = emergency_numbers()
    assert [c for c in EU if table.get(c) is None or table[c].number != "112"] == []
    assert [c for c in MOST_POPULOUS if c not in table] == []
    assert all(row.source for row in table.values())
    assert country_of_zone("Europe/Oslo") == "NO"
    assert table["NO"].number == "113"  # "NO" stays Norway, not a YAML boolean


def test_a_row_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "numbers.yaml"
    path.write_text(
        'countries:\n  "GB": {name: UK, number: "999", source: nowhere}\n'
        "sources:\n  - {id: nhs, title: NHS, url: https://www.nhs.uk/}\n"
    )
    with pytest.raises(ProtocolError, match="unknown source 'nowhere'"):
        load_numbers(path)
