"""Time zones from what people type: IANA names, cities, countries, typos, locations."""

from __future__ import annotations

import threading

import pytest

from views.enrollment import zones
from views.enrollment.zones import MAX_LABEL, resolve_zone, zone_at


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Manchester", "Europe/London"),  # bigger than its namesakes elsewhere
        ("UK", "Europe/London"),
        ("united kingdom", "Europe/London"),
        ("GB", "Europe/London"),
        ("Germany", "Europe/Berlin"),  # two zones, one clock
        ("India", "Asia/Kolkata"),
        ("europe/paris", "Europe/Paris"),
        ("new york", "America/New_York"),
        ("Москва", "Europe/Moscow"),
        ("Munchen", "Europe/Berlin"),
    ],
)
def test_one_zone_is_taken(typed: str, zone: str) -> None:
    assert resolve_zone(typed).zone == zone


@pytest.mark.parametrize("typed", ["Spain", "USA", "Russia", "Canada", "Springfield"])
def test_several_clocks_are_offered_most_populous_first(typed: str) -> None:
    match = resolve_zone(typed)
    assert match.zone is None
    assert 2 <= len(match.choices) <= 6
    assert len({c.zone for c in match.choices}) == len(match.choices)
    assert all(len(c.label) <= MAX_LABEL for c in match.choices)
    assert not match.guessed


def test_namesake_cities_are_told_apart_by_their_zone() -> None:
    labels = [c.label for c in resolve_zone("Springfield").choices]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(("typo", "meant"), [("Manchestr", "Manchester"), ("Germny", "Germany")])
def test_a_typo_gets_the_closest_names(typo: str, meant: str) -> None:
    match = resolve_zone(typo)
    assert match.guessed
    assert meant in [c.label for c in match.choices]


@pytest.mark.parametrize("typed", ["xyzzy", "", "??", "😀"])
def test_nothing_known_is_nothing(typed: str) -> None:
    match = resolve_zone(typed)
    assert (match.zone, match.choices) == (None, ())


def test_a_location_gives_its_zone_offline() -> None:
    assert zone_at(53.48, -2.24) == "Europe/London"
    assert zone_at(-33.87, 151.21) == "Australia/Sydney"
    assert zone_at(95.0, 0.0) is None


def test_a_place_typed_while_the_gazetteer_loads_waits_for_it_and_the_file_is_read_once() -> None:
    for cached in (zones._gazetteer, zones._typo_targets, zones._biggest_city_per_zone):
        cached.cache_clear()
    loading = threading.Thread(target=zones.load_gazetteer)  # what the runtime starts
    loading.start()
    match = zones.resolve_zone("Manchester")  # a patient types a city meanwhile
    loading.join()
    assert match.zone == "Europe/London"
    assert zones._gazetteer.cache_info().misses == 1
