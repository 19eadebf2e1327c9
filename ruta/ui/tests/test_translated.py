"""``{% translated %}``: the reader's version of a text stored per language, or another
language's in ``lang`` with the marker; always escaped."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template
from django.utils import translation


@dataclass
class Text:
    """A model's fields: Spanish first (``note``) with ``note_en`` beside it, and a pair."""

    note: str = ""
    note_en: str = ""
    name_es: str = ""
    name_en: str = ""


def _render(source: str, obj: Text, language: str) -> str:
    with translation.override(language):
        return Template("{% load ui %}" + source).render(Context({"obj": obj}))


def test_the_readers_version_is_shown_as_it_is() -> None:
    obj = Text(note="Nota", note_en="Note", name_es="Nombre", name_en="Name")
    assert _render('{% translated obj "note" %} {% translated obj "name" %}', obj, "en") == (
        "Note Name"
    )
    assert _render('{% translated obj "note" %} {% translated obj "name" %}', obj, "es") == (
        "Nota Nombre"
    )


def test_a_missing_version_falls_back_in_its_language_with_the_marker_escaped() -> None:
    obj = Text(note="<b>Nota</b>", note_en="  ", name_en="A & B")
    assert _render('{% translated obj "note" %}', obj, "en") == (
        '<span lang="es">&lt;b&gt;Nota&lt;/b&gt;</span> '
        '<span class="not-translated">Not translated yet</span>'
    )
    # Spanish missing (a practice written in English): the Spanish page says so too.
    assert _render('{% translated obj "name" %}', obj, "es").startswith(
        '<span lang="en">A &amp; B</span> <span class="not-translated">'
    )
    assert _render('{% translated obj "note" paragraphs=True %}', obj, "en") == (
        '<p><span class="not-translated">Not translated yet</span></p>'
        '<div lang="es"><p>&lt;b&gt;Nota&lt;/b&gt;</p></div>'
    )
    assert _render('{% translated obj "note" marker=False %}', obj, "en") == (
        '<span lang="es">&lt;b&gt;Nota&lt;/b&gt;</span>'
    )


def test_nothing_in_any_language_renders_nothing() -> None:
    assert _render('[{% translated obj "note" %}{% translated obj "name" %}]', Text(), "en") == (
        "[]"
    )
    source = (
        '{% in_reader_language obj "note" as note %}{{ note.fell_back }}|{% not_translated note %}'
    )
    assert _render(source, Text(), "en") == "False|"
