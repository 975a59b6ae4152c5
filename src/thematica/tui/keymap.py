"""The workbench's keys, as data: (key, action, description, shown in the footer)."""

from __future__ import annotations

from textual.binding import Binding

WORKBENCH_KEYS = [
    ("j,down", "next_unit", "Next unit", False),
    ("k,up", "previous_unit", "Previous unit", False),
    ("shift+down,J", "extend_down", "Extend selection", False),
    ("shift+up,K", "extend_up", "Shrink selection", False),
    ("v", "toggle_extend", "Extend mode", False),
    ("right,l", "end_right", "End +1 char", False),
    ("left,h", "end_left", "End −1 char", False),
    ("shift+right,L", "start_right", "Start +1 char", False),
    ("shift+left,H", "start_left", "Start −1 char", False),
    ("t", "toggle_unit", "Sentence/turn", False),
    ("c", "apply_code", "Code", True),
    ("n", "new_code", "New code", True),
    ("i", "in_vivo", "In vivo", True),
    ("d", "remove_segment", "Remove", True),
    ("r", "recode_segment", "Re-code", False),
    ("m", "edit_memo", "Memo", True),
    ("u", "undo", "Undo", True),
    ("ctrl+r", "redo", "Redo", False),
    ("/", "search", "Search", True),
    ("right_square_bracket", "next_segment", "Next segment", False),
    ("left_square_bracket", "previous_segment", "Previous segment", False),
    ("s", "cycle_status", "Status", False),
    ("e", "edit_code", "Edit code", False),
    ("g", "retrieve", "Code's segments", False),
    ("b", "theme_board", "Themes", True),
    ("G", "filter_group", "Group filter", False),
    ("question_mark", "help", "Help", True),
    ("q", "quit", "Quit", True),
]


def workbench_bindings() -> list[Binding]:
    return [Binding(key, action, description, show=shown) for key, action, description, shown in WORKBENCH_KEYS]
