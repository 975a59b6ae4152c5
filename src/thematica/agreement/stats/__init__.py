"""Pure agreement statistics: plain data in (arrays, spans), numbers out. No database, no UI."""
