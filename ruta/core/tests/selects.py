"""Read a ``<select>`` of a page as a person meets it: its groups, options and choice."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

Option = tuple[str, str, bool]  # value, text, selected


class SelectReader(HTMLParser):
    """The groups of one ``<select name=...>``: [(group label, [(value, text, selected)])]."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.inside = False
        self.groups: list[tuple[str, list[Option]]] = []
        self.option: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select" and found.get("name") == self.name:
            self.inside = True
            self.groups.append(("", []))
        elif self.inside and tag == "optgroup":
            self.groups.append((found.get("label") or "", []))
        elif self.inside and tag == "option":
            self.option = [found.get("value") or "", "", "selected" in found]

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None:
            value, text, selected = self.option
            self.groups[-1][1].append((value, text.strip(), selected))
            self.option = None
        elif tag == "optgroup" and self.inside:
            self.groups.append(("", []))
        elif tag == "select":
            self.inside = False


def select_of(response: Any, name: str) -> list[tuple[str, list[Option]]]:
    assert response.status_code == 200
    reader = SelectReader(name)
    reader.feed(response.content.decode())
    return [(label, options) for label, options in reader.groups if options or label]


def grouped(response: Any, name: str) -> dict[str, list[str]]:
    """Group label -> option texts (the blank choice under '')."""
    return {
        label: [text for _v, text, _s in options] for label, options in select_of(response, name)
    }


def selected(response: Any, name: str) -> list[tuple[str, str]]:
    return [
        (label, value)
        for label, options in select_of(response, name)
        for value, _text, chosen in options
        if chosen
    ]
