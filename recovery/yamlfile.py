"""Reading the clinical YAML files: YAML 1.2 booleans, duplicate keys refused, errors located.

YAML is read with YAML 1.2 booleans: only ``true``/``false`` are booleans, so ``yes``/``no``
stay strings (``in: [yes]`` means the answer "yes"). A key given twice in one mapping is an error.
Problems are reported as :class:`~recovery.errors.ProtocolError` naming file, field path and line.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic_core import ErrorDetails

from recovery.errors import ProtocolError

__all__ = ["describe_error", "raise_problems", "read_yaml"]

_BOOL = "tag:yaml.org,2002:bool"


# libyaml's parser where PyYAML was built with it (about 8 times faster: most of start-up's
# protocol loading); the constructor and resolver, which make it safe, are Python's either way.
if TYPE_CHECKING or not yaml.__with_libyaml__:
    from yaml import SafeLoader as _SafeBase
else:
    from yaml import CSafeLoader as _SafeBase


class _Loader(_SafeBase):
    """Safe loader with YAML 1.2 booleans and duplicate-key detection."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(path: Path) -> tuple[dict[str, Any], str, bytes]:
    """Read a YAML mapping.

    Args:
        path: The file.

    Returns:
        The data, the text and the bytes of the file.

    Raises:
        ProtocolError: The file cannot be read, is not valid YAML, or is not a mapping.
    """
    name = path.name
    try:
        data_bytes = path.read_bytes()
        text = data_bytes.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError(name, "file", f"cannot be read ({exc.__class__.__name__})") from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = f"line {mark.line + 1}" if mark is not None else "file"
        raise ProtocolError(name, location, exc.problem or "invalid YAML") from exc
    except yaml.YAMLError as exc:
        raise ProtocolError(name, "file", f"invalid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise ProtocolError(name, "file", "the file must be a mapping of fields (family, ...)")
    return data, text, data_bytes


def raise_problems(name: str, text: str, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
    """Raise one ProtocolError for all ``problems`` (nothing when there are none)."""
    if not problems:
        return
    root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    rendered = []
    for loc, reason in problems:
        line = _line_of(root, loc)
        rendered.append((_path(loc), f"{reason} (line {line})" if line else reason))
    raise ProtocolError(name, rendered[0][0], rendered[0][1], tuple(rendered))


def describe_error(err: ErrorDetails) -> str:
    """A pydantic error in plain words."""
    if err["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if err["type"] == "missing":
        return "required field is missing"
    return str(err["msg"]).removeprefix("Value error, ")


def _path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "file"


def _line_of(node: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
