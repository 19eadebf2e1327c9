"""ROUGH DEMO SHAPES, NOT REAL BOUNDARIES: a box per region that the demo reaches.

Drawn by hand for the demo only, from approximate latitude/longitude extents of each
region (trimmed so that neighbours do not overlap; Lima Metropolitana and Callao are
holes in the Lima region). They give ``make run`` a map on the reach dashboard; nothing
here is fit for any other use. Real outlines come from a GeoJSON file a coordinator
imports (``ruta.places.boundaries``).
"""

from __future__ import annotations

from typing import Any

# code -> (west, south, east, north) in degrees.
BOXES: dict[str, tuple[float, float, float, float]] = {
    "PE-TUM": (-81.0, -4.2, -80.3, -3.4),
    "PE-PIU": (-81.3, -6.4, -79.2, -4.2),
    "PE-LAM": (-80.2, -7.2, -79.1, -6.4),
    "PE-LAL": (-79.6, -8.9, -77.2, -7.2),
    "PE-LIM": (-77.9, -13.3, -75.5, -10.3),
    "PE-LMA": (-77.2, -12.5, -76.6, -11.6),
    "PE-CAL": (-77.35, -12.1, -77.2, -11.8),
    "PE-ARE": (-75.1, -17.3, -71.0, -14.6),
    "PE-TAC": (-71.0, -18.3, -69.5, -16.6),
    "EC-C": (-78.6, 0.4, -77.6, 1.2),
    "EC-I": (-79.2, 0.0, -77.8, 0.4),
    "EC-P": (-79.2, -0.7, -77.8, 0.0),
    "EC-U": (-77.6, -0.6, -75.2, 0.5),
    "EC-M": (-80.9, -1.9, -79.9, 0.4),
    "EC-R": (-79.9, -2.2, -79.2, -0.7),
    "EC-G": (-80.6, -3.0, -79.2, -2.2),
    "EC-A": (-79.2, -3.6, -78.4, -2.5),
    "EC-O": (-80.3, -3.9, -79.4, -3.0),
}
HOLES: dict[str, tuple[str, ...]] = {"PE-LIM": ("PE-LMA", "PE-CAL")}


def _ring(box: tuple[float, float, float, float], *, clockwise: bool = False) -> list[list[float]]:
    west, south, east, north = box
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return ring[::-1] if clockwise else ring


def feature_collection() -> dict[str, Any]:
    """The boxes as a GeoJSON FeatureCollection, named by ISO 3166-2 code."""
    features: list[dict[str, Any]] = []
    for code, box in BOXES.items():
        rings = [_ring(box)] + [_ring(BOXES[hole], clockwise=True) for hole in HOLES.get(code, ())]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "note": "rough demo shape, not a real boundary"},
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
        )
    return {"type": "FeatureCollection", "features": features}
