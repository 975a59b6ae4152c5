"""The id of a chosen ``OptionList`` option: every list here gives its options an id."""

from __future__ import annotations

from textual.widgets.option_list import Option


def option_id(option: Option) -> str:
    if option.id is None:
        raise LookupError(f"option {option.prompt!r} has no id")
    return option.id


def option_number(option: Option) -> int:
    """The id of an option whose id is a row number or a database id."""
    return int(option_id(option))
