"""Command-line interface: ``thematica``. One module per command group; each is thin (parse, call, render)."""

from thematica.cli.app import main

__all__ = ["main"]
