"""Moved to ``ruta.lib.text``; this re-export keeps parallel branches importing until merged."""

from ruta.lib.text import fold, query_words

__all__ = ["fold", "query_words"]
