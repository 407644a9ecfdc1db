"""One registry for pluggable parts: extractors, gazetteers, stores and exporters.

Built-in parts register themselves with the same decorator a plugin uses, under namespaced,
versioned names (``"eventwatch.store.sqlite.v1"``). Third-party packages can add parts through the
``eventwatch.plugins`` entry-point group: each entry point is imported, and importing it registers.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, TypeVar

T = TypeVar("T", bound=Callable[..., Any])

KINDS = ("extractors", "gazetteers", "stores", "exporters")
_parts: dict[str, dict[str, Callable[..., Any]]] = {kind: {} for kind in KINDS}
_plugins_loaded = False


def register(kind: str, name: str) -> Callable[[T], T]:
    """Decorator registering ``func`` as the part ``name`` of ``kind``."""
    if kind not in _parts:
        raise ValueError(f"unknown registry kind {kind!r}; known: {KINDS}")

    def decorator(func: T) -> T:
        _parts[kind][name] = func
        return func

    return decorator


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    # The built-ins import lazily so that registering them does not pull heavy dependencies.
    from . import export, pipeline, roles, store  # noqa: F401

    for ep in entry_points(group="eventwatch.plugins"):
        ep.load()


def get(kind: str, name: str) -> Callable[..., Any]:
    """The part ``name`` of ``kind``; a short alias (``"sqlite"``) matches a full name."""
    _load_plugins()
    parts = _parts[kind]
    if name in parts:
        return parts[name]
    matches = [full for full in parts if full.split(".")[-2:-1] == [name]]
    if len(matches) == 1:
        return parts[matches[0]]
    raise KeyError(f"no {kind[:-1]} named {name!r}; registered: {sorted(parts)}")


def names(kind: str) -> list[str]:
    _load_plugins()
    return sorted(_parts[kind])
