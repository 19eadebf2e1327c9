"""The regions Ruta ships: ISO 3166-2 first-level subdivisions and their capitals.

Loaded by the directory's data migrations (models passed in, as migrations do); a
gazetteer import adds districts and P-codes afterwards.
"""

from __future__ import annotations

from typing import Any

# Countries whose ISO 3166-2 first-level subdivisions are loaded as admin1 areas.
AREA_COUNTRIES = [
    "AR",
    "BO",
    "BR",
    "CL",
    "CO",
    "CR",
    "CU",
    "DO",
    "EC",
    "GT",
    "HN",
    "MX",
    "NI",
    "PA",
    "PE",
    "PY",
    "SV",
    "UY",
    "VE",
]


def load_regions(area_model: Any) -> None:
    """Create or update the level-1 areas of ``AREA_COUNTRIES``."""
    import pycountry

    for country in AREA_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or []:
            if sub.parent_code:
                continue
            area_model.objects.update_or_create(
                code=sub.code,
                defaults={"country": country, "level": 1, "name_es": sub.name, "name_en": sub.name},
            )


# Representative points (the capital) of admin1 areas where Ruta has members, so that a
# typed place ("Tumbes", "Quito") can rank services by distance without a geocoder.
AREA_POINTS: dict[str, tuple[float, float]] = {
    "PE-AMA": (-6.23, -77.87),
    "PE-ANC": (-9.53, -77.53),
    "PE-APU": (-13.64, -72.88),
    "PE-ARE": (-16.41, -71.54),
    "PE-AYA": (-13.16, -74.22),
    "PE-CAJ": (-7.16, -78.51),
    "PE-CAL": (-12.06, -77.12),
    "PE-CUS": (-13.53, -71.97),
    "PE-HUV": (-12.79, -74.97),
    "PE-HUC": (-9.93, -76.24),
    "PE-ICA": (-14.07, -75.73),
    "PE-JUN": (-12.07, -75.21),
    "PE-LAL": (-8.11, -79.03),
    "PE-LAM": (-6.77, -79.84),
    "PE-LIM": (-11.11, -77.61),
    "PE-LMA": (-12.05, -77.04),
    "PE-LOR": (-3.75, -73.25),
    "PE-MDD": (-12.59, -69.19),
    "PE-MOQ": (-17.19, -70.93),
    "PE-PAS": (-10.68, -76.26),
    "PE-PIU": (-5.19, -80.63),
    "PE-PUN": (-15.84, -70.02),
    "PE-SAM": (-6.03, -76.97),
    "PE-TAC": (-18.01, -70.25),
    "PE-TUM": (-3.57, -80.45),
    "PE-UCA": (-8.38, -74.55),
    "EC-A": (-2.90, -79.00),
    "EC-B": (-1.59, -79.00),
    "EC-F": (-2.74, -78.85),
    "EC-C": (0.81, -77.72),
    "EC-H": (-1.67, -78.65),
    "EC-X": (-0.93, -78.61),
    "EC-O": (-3.26, -79.96),
    "EC-E": (0.96, -79.65),
    "EC-W": (-0.90, -89.61),
    "EC-G": (-2.19, -79.89),
    "EC-I": (0.35, -78.12),
    "EC-L": (-4.00, -79.20),
    "EC-R": (-1.80, -79.53),
    "EC-M": (-1.05, -80.45),
    "EC-S": (-2.31, -78.12),
    "EC-N": (-0.99, -77.81),
    "EC-D": (-0.47, -76.99),
    "EC-Y": (-1.49, -78.00),
    "EC-P": (-0.18, -78.47),
    "EC-SE": (-2.23, -80.86),
    "EC-SD": (-0.25, -79.17),
    "EC-U": (0.08, -76.89),
    "EC-T": (-1.25, -78.62),
    "EC-Z": (-4.07, -78.95),
}


def load_points(area_model: Any) -> None:
    for code, (latitude, longitude) in AREA_POINTS.items():
        area_model.objects.filter(code=code).update(latitude=latitude, longitude=longitude)
