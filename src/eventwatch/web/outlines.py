"""Country outlines for the desk's offline map, decoded from Natural Earth TopoJSON.

The npm package ``world-atlas`` (Natural Earth, public domain) ships the countries as TopoJSON:
shared borders stored once as delta-encoded, quantised arcs. ``tools/build_web_assets.py`` runs
``decode_countries`` at install time and writes plain rings of ``[lon, lat]`` to
``web/static/vendor/countries.json``, so the browser draws them without a TopoJSON library.
"""

from __future__ import annotations

from typing import Any

Ring = list[list[float]]


def _arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """Absolute ``[lon, lat]`` points of every arc (undoing delta encoding and quantisation)."""
    transform = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        if transform is None:
            out.append([[float(x), float(y)] for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append([x * sx + tx, y * sy + ty])
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[list[float]]]) -> Ring:
    points: Ring = []
    for index in indexes:
        # A negative index ~i is arc i walked backwards (TopoJSON spec, "arc indexes").
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # arcs share their end points
    return points


def decode_countries(topology: dict[str, Any], *, digits: int = 2) -> list[dict[str, Any]]:
    """``[{"id", "name", "rings"}]`` for the ``countries`` object of a world-atlas topology;
    coordinates rounded to ``digits`` decimals (0.01° is about 1 km)."""
    if topology.get("type") != "Topology" or "countries" not in topology.get("objects", {}):
        raise ValueError("not a world-atlas topology with a 'countries' object")
    arcs = _arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [[[round(x, digits), round(y, digits)] for x, y in _ring(ring, arcs)]
                 for polygon in polygons for ring in polygon]
        countries.append({"id": geometry.get("id"),
                          "name": (geometry.get("properties") or {}).get("name"),
                          "rings": rings})
    return countries
