"""The emergency number a patient should dial, from the country of their IANA time zone.

Two data files: the tz database's ``zone.tab`` (zone -> ISO 3166 country; from the ``tzdata``
package when installed, else the system's zoneinfo folders) and ``emergency_numbers.yaml``
beside this module (country -> number, each row citing a source). Both are read once.
"""

from __future__ import annotations

import functools
import importlib.resources
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from recovery.errors import ProtocolError

__all__ = [
    "DEFAULT_EMERGENCY_NUMBER",
    "NUMBERS_FILE",
    "CountryNumber",
    "country_of_zone",
    "country_zones",
    "emergency_number",
    "emergency_numbers",
    "load_numbers",
]

DEFAULT_EMERGENCY_NUMBER = "112"
NUMBERS_FILE = Path(__file__).parent / "emergency_numbers.yaml"


@dataclass(frozen=True)
class CountryNumber:
    """One row of the table: the number to dial in a country and where that is stated."""

    country: str
    name: str
    number: str
    source: str


def _zone_tab_text() -> str:
    """``zone.tab`` from the tzdata package, else from the first system folder that has it."""
    try:
        return importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


@functools.cache
def _zone_countries() -> Mapping[str, str]:
    countries: dict[str, str] = {}
    for line in _zone_tab_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            countries[fields[2]] = fields[0]
    return MappingProxyType(countries)


def country_zones(code: str) -> tuple[str, ...]:
    """The IANA zones of an ISO 3166 country (``GB`` -> ``("Europe/London",)``)."""
    return tuple(zone for zone, country in _zone_countries().items() if country == code.upper())


def country_of_zone(zone: str) -> str | None:
    """The ISO 3166 country of an IANA zone (``Europe/London`` -> ``GB``), None for ``UTC``."""
    return _zone_countries().get(zone)


def load_numbers(path: Path = NUMBERS_FILE) -> Mapping[str, CountryNumber]:
    """Read and check a country -> emergency number table.

    Args:
        path: the YAML file (default: the built-in table).

    Returns:
        The rows by ISO 3166 country code.

    Raises:
        ProtocolError: the file is malformed or a row cites an unknown source.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = {str(source["id"]) for source in data.get("sources", [])}
    rows: dict[str, CountryNumber] = {}
    for country, row in data.get("countries", {}).items():
        number, source = str(row.get("number", "")), str(row.get("source", ""))
        if not (isinstance(country, str) and len(country) == 2 and country.isupper()):
            raise ProtocolError(path.name, f"countries.{country}", "not an ISO 3166 code")
        if not number.isdigit() or not 2 <= len(number) <= 6:
            raise ProtocolError(path.name, f"countries.{country}", "number is not 2-6 digits")
        if source not in sources:
            raise ProtocolError(path.name, f"countries.{country}", f"unknown source {source!r}")
        rows[country] = CountryNumber(country, str(row.get("name", country)), number, source)
    return MappingProxyType(rows)


@functools.cache
def emergency_numbers() -> Mapping[str, CountryNumber]:
    """The built-in table, read once."""
    return load_numbers()


def emergency_number(zone: str, *, default: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """The number to dial in an emergency where the patient lives.

    Args:
        zone: the patient's IANA time zone.
        default: for a zone with no country (``UTC``) or a country not in the table.

    Returns:
        ``Europe/London`` -> ``999``, ``America/New_York`` -> ``911``, ``Etc/UTC`` -> default.
    """
    country = country_of_zone(zone)
    row = emergency_numbers().get(country) if country else None
    return row.number if row else default
