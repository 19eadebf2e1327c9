"""English dates as Django writes them, with the time on the 24-hour clock.

The Spanish formats already use it (16:07), as do the field's reports and the people who
read the English pages in Latin American offices. Django's English default ends a time
with "p.m.", which then doubles the full stop of every sentence a time closes ("Figures
as of Dec. 7, 2026, 4:07 p.m..").
"""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
