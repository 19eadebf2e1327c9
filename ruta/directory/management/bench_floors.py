"""Raw-SQL floors for ``bench_directory``: what each measure would cost in the database alone.

A floor is a query written by hand for the same answer as the page it stands beside: the
finder's floors return the same ids in the same order (the first ``cap`` + 1, as the finder
ranks them), with what a person who knows the data would write (term and area ids looked up
beforehand, no ORM). The benchmark times them on the same connection and checks that they
agree with the finder, so a floor that drifted from the finder's answer is reported, not
trusted. Portable SQL: the same text runs on SQLite and PostgreSQL.
"""

# ruff: noqa: S608  (SQL text built from fixed pieces and placeholders: values are parameters)

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from ruta.directory.search import Expansion
from ruta.directory.search_index import SQLITE_TABLE


@dataclass(frozen=True)
class Floor:
    label: str  # what was written by hand
    statements: list[tuple[str, list[Any] | None]]

    def run(self) -> list[list[Any]]:
        results = []
        with connection.cursor() as cursor:
            for sql, params in self.statements:
                cursor.execute(sql, params)
                results.append([list(row) for row in cursor.fetchall()])
        return results

    def ids(self) -> list[Any]:
        """The first statement's first column: the ranked ids, for the finder's floors."""
        return [row[0] for row in self.run()[0]]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


PUBLISHED = (
    "FROM directory_service s JOIN agencies_organization o ON o.id = s.organization_id "
    "WHERE s.status = %s AND o.active"
)


def _holds(text: str, indexed: set[str]) -> tuple[str, Any]:
    """A condition that the service's text holds ``text``: LIKE, or a match in the SQLite
    text index for the texts the finder takes it for (``indexed``)."""
    if text in indexed:
        match = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"
        return f"s.id IN ({match})", '"' + text.replace('"', '""') + '"'
    return "s.search_text LIKE %s ESCAPE '\\'", _like(text)


def text_floor(expansion: Expansion, cap: int, indexed: set[str] | None = None) -> Floor:
    """Published services holding every word and every everyday phrase (its words or a
    service carrying a need it means), those carrying more of the meanings first. The rare
    words (``indexed``) through the text index, as the finder finds them."""
    indexed = indexed or set()
    where: list[str] = []
    params: list[Any] = ["active"]
    for word in expansion.words:
        condition, param = _holds(word, indexed)
        where.append(condition)
        params.append(param)
    means = (
        "SELECT st.service_id FROM directory_service_terms st "
        "JOIN directory_everydayword_terms ew ON ew.taxonomyterm_id = st.taxonomyterm_id "
        "WHERE ew.everydayword_id = %s"
    )
    for pk, phrase in expansion.phrases:
        condition, param = _holds(phrase, indexed)
        where.append(f"({condition} OR s.id IN ({means}))")
        params += [param, pk]
    order = "s.name_es, s.id"
    select = "s.id"
    if expansion.phrases:
        marks = ", ".join(["%s"] * len(expansion.phrases))
        select = (
            "s.id, (SELECT COUNT(DISTINCT st.taxonomyterm_id) FROM directory_service_terms st "
            "JOIN directory_everydayword_terms ew ON ew.taxonomyterm_id = st.taxonomyterm_id "
            f"WHERE st.service_id = s.id AND ew.everydayword_id IN ({marks})) AS fit"
        )
        params = [pk for pk, _phrase in expansion.phrases] + params
        order = "fit DESC, " + order
    conditions = "".join(f" AND {condition}" for condition in where)
    sql = f"SELECT {select} {PUBLISHED}{conditions} ORDER BY {order} LIMIT {cap + 1}"
    label = "LIKE on search_text, one query"
    if indexed:
        label = f"LIKE on search_text, FTS5 for {', '.join(sorted(indexed))}; one query"
    return Floor(label, [(sql, params)])


def near_floor(
    *,
    term_id: int,
    area_id: int,
    near: tuple[float, float],
    zones: list[str],
    now: datetime,
    cap: int,
) -> Floor:
    """Free services for a profile in an area, open now, nearest first."""
    latitude, longitude = near
    scale = math.cos(math.radians(latitude))
    open_now: list[str] = []
    params: list[Any] = [longitude, scale, longitude, scale, latitude, latitude, "active"]
    for zone in zones:
        local = now.astimezone(ZoneInfo(zone))
        moment = connection.ops.adapt_timefield_value(local.time())
        open_now.append(
            "(s.timezone = %s AND (s.open_24_7 OR EXISTS (SELECT 1 FROM directory_schedule h "
            "WHERE h.service_id = s.id AND h.weekday = %s AND h.opens_at <= %s "
            "AND h.closes_at > %s)) AND NOT EXISTS (SELECT 1 FROM directory_closure c "
            "WHERE c.service_id = s.id AND c.date = %s))"
        )
        params += [
            zone,
            local.isoweekday(),
            moment,
            moment,
            connection.ops.adapt_datefield_value(local.date()),
        ]
    params += [area_id, area_id, area_id, term_id]
    sql = (
        "SELECT s.id, (SELECT MIN(((l.longitude - %s) * %s) * ((l.longitude - %s) * %s) "
        "+ (l.latitude - %s) * (l.latitude - %s)) FROM directory_serviceatlocation sl "
        "JOIN directory_location l ON l.id = sl.location_id WHERE sl.service_id = s.id "
        "AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL) AS d2 "
        f"{PUBLISHED} AND s.is_free AND ({' OR '.join(open_now) or '1 = 0'}) "
        "AND s.id IN (SELECT sl.service_id FROM directory_serviceatlocation sl "
        "JOIN directory_location l ON l.id = sl.location_id "
        "WHERE l.admin1_id = %s OR l.admin2_id = %s "
        "UNION ALL SELECT a.service_id FROM directory_servicearea a WHERE a.area_id = %s) "
        "AND EXISTS (SELECT 1 FROM directory_service_terms t "
        "WHERE t.service_id = s.id AND t.taxonomyterm_id = %s) "
        f"ORDER BY d2 ASC NULLS LAST, s.name_es, s.id LIMIT {cap + 1}"
    )
    return Floor("filters and MIN distance, one query", [(sql, params)])


def pathway_floor(pathway_id: int) -> Floor:
    """The matrix's rows, columns and cells with their published services."""
    rows = (
        "SELECT o.id, o.name, o.acronym, o.active FROM agencies_organization o "
        "JOIN directory_pathway_organizations po ON po.organization_id = o.id "
        "WHERE po.pathway_id = %s ORDER BY o.name"
    )
    columns = (
        "SELECT t.id, t.code, t.name_es, t.name_en FROM directory_taxonomyterm t "
        "JOIN directory_taxonomy x ON x.id = t.taxonomy_id WHERE x.code = %s AND (t.active "
        "OR t.id IN (SELECT c.profile_id FROM directory_pathwaycell c WHERE c.pathway_id = %s)) "
        "ORDER BY t.position, t.code"
    )
    cells = (
        "SELECT c.id, c.organization_id, c.profile_id, c.role FROM directory_pathwaycell c "
        "WHERE c.pathway_id = %s"
    )
    services = (
        "SELECT cs.pathwaycell_id, s.uuid, s.name_es, s.name_en "
        "FROM directory_pathwaycell c "
        "JOIN directory_pathwaycell_services cs ON cs.pathwaycell_id = c.id "
        "JOIN directory_service s ON s.id = cs.service_id "
        "JOIN agencies_organization so ON so.id = s.organization_id "
        "WHERE c.pathway_id = %s AND s.status = %s AND so.active ORDER BY s.name_es"
    )
    return Floor(
        "organizations, profiles, cells, their published services: four queries",
        [
            (rows, [pathway_id]),
            (columns, ["population", pathway_id]),
            (cells, [pathway_id]),
            (services, [pathway_id, "active"]),
        ],
    )


def replay_floor(captured: list[dict[str, str]]) -> Floor:
    """The page's own SQL, as it ran, without Python around it (where no hand-written
    query says more)."""
    return Floor("the page's own SQL replayed", [(query["sql"], None) for query in captured])
