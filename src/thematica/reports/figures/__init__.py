"""Figures: functions that draw a result and return its bytes (SVG text as text, PDF TrueType, PNG 300 dpi)."""
