"""Thematica: a terminal workbench for team thematic analysis (Braun & Clarke) and its linked trial data."""

__version__ = "0.1.0"
