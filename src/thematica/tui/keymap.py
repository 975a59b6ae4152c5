"""The workbench's keys, as data: every binding has an id, and a user keymap file can remap it.

The keymap file is TOML in the platform's config folder (``thematica keys`` prints where and the
active map), e.g.::

    [keys]
    "workbench.apply_highlighted" = "enter,a"
    "workbench.quit" = "ctrl+q"

Help, footer and the command palette are generated from the same table (``active_keys``), so
they always show what the keys really are. The footer shows the keys marked with a priority,
most important first, as many as fit the width (``?`` and ``q`` always).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from rich.cells import cell_len
from textual.binding import Binding, BindingType

from thematica.errors import ThematicaError


@dataclass(frozen=True)
class Key:
    id: str
    keys: str  # comma-separated Textual key names
    action: str
    description: str
    footer: int = 0  # 0: not in the footer; lower numbers are shown first when room is short

    @property
    def shown(self) -> str:
        """The keys as a person types them (``]`` not ``right_square_bracket``)."""
        return ",".join(display_key(key) for key in self.keys.split(","))

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "keys": self.keys, "action": self.action, "description": self.description}


_NAMES = {"right_square_bracket": "]", "left_square_bracket": "[", "question_mark": "?", "left_curly_bracket": "{",
          "right_curly_bracket": "}", "less_than_sign": "<", "greater_than_sign": ">", "slash": "/",
          "plus": "+", "minus": "-", "full_stop": "."}


def display_key(key: str) -> str:
    return _NAMES.get(key, key)


WORKBENCH_KEYS: tuple[Key, ...] = (
    Key("workbench.help", "question_mark", "help", "Help", 1),
    Key("workbench.quit", "q", "quit", "Quit", 2),
    Key("workbench.apply", "c", "apply_code", "Code", 3),
    Key("workbench.apply_highlighted", "a", "apply_highlighted", "Apply tree code", 9),
    Key("workbench.new_code", "n", "new_code", "New code", 5),
    Key("workbench.remove", "d", "remove_segment", "Remove", 6),
    Key("workbench.memo", "m", "edit_memo", "Memo", 7),
    Key("workbench.undo", "u", "undo", "Undo", 8),
    Key("workbench.theme_board", "b", "theme_board", "Themes", 4),
    Key("workbench.matrix", "o", "matrix", "Framework matrix and co-occurrence"),
    Key("workbench.search", "slash", "search", "Search", 10),
    Key("workbench.filter", "f", "filter", "Filter", 11),
    Key("workbench.in_vivo", "i", "in_vivo", "In vivo", 12),
    Key("workbench.next_unit", "j,down", "next_unit", "Next unit"),
    Key("workbench.previous_unit", "k,up", "previous_unit", "Previous unit"),
    Key("workbench.extend_down", "shift+down,J", "extend_down", "Extend selection"),
    Key("workbench.extend_up", "shift+up,K", "extend_up", "Shrink selection"),
    Key("workbench.extend_mode", "v", "toggle_extend", "Extend mode"),
    Key("workbench.end_right", "right,l", "end_right", "End +1 char"),
    Key("workbench.end_left", "left,h", "end_left", "End −1 char"),
    Key("workbench.start_right", "shift+right,L", "start_right", "Start +1 char"),
    Key("workbench.start_left", "shift+left,H", "start_left", "Start −1 char"),
    Key("workbench.unit_kind", "t", "cycle_unit", "Sentence/turn/paragraph"),
    Key("workbench.recode", "r", "recode_segment", "Re-code"),
    Key("workbench.redo", "ctrl+r", "redo", "Redo"),
    Key("workbench.next_segment", "right_square_bracket", "next_segment", "Next segment (filter)"),
    Key("workbench.previous_segment", "left_square_bracket", "previous_segment", "Previous segment (filter)"),
    Key("workbench.status", "s", "cycle_status", "Document status"),
    Key("workbench.edit_code", "e", "edit_code", "Edit code"),
    Key("workbench.retrieve", "g", "retrieve", "Code's segments"),
    Key("workbench.group_filter", "G", "filter_group", "Group filter"),
    Key("workbench.tree_wider", "right_curly_bracket", "tree_wider", "Code tree wider"),
    Key("workbench.tree_narrower", "left_curly_bracket", "tree_narrower", "Code tree narrower"),
    Key("workbench.margin_wider", "greater_than_sign", "margin_wider", "Margin wider"),
    Key("workbench.margin_narrower", "less_than_sign", "margin_narrower", "Margin narrower"),
    Key("workbench.document_memo", "M", "document_memo", "Document memo"),
    Key("workbench.project_memo", "P", "project_memo", "Project memo"),
    Key("workbench.case_attribute", "A", "case_attribute", "Case attribute"),
    Key("workbench.delete_code", "X", "delete_code", "Delete code"),
    Key("workbench.code_out", "ctrl+left", "move_code(-1)", "Code up a level"),
    Key("workbench.code_in", "ctrl+right", "move_code(1)", "Code under the one above"),
    Key("workbench.detail", "p", "toggle_detail", "Detail pane"),
)


def config_folder() -> Path:
    """``$THEMATICA_CONFIG_DIR`` or the platform's per-user config folder."""
    override = os.environ.get("THEMATICA_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("thematica"))


def keymap_path() -> Path:
    return config_folder() / "keymap.toml"


def user_keymap(path: Path | None = None) -> dict[str, str]:
    """``{binding id: keys}`` from the user's keymap file (empty when there is none); a file that is
    not TOML, names an unknown binding or gives one key to two bindings is a ``ThematicaError``."""
    path = keymap_path() if path is None else path
    if not path.exists():
        return {}
    import tomllib  # only when there is a file: the workbench's start reads none

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ThematicaError(f"not a valid keymap ({error})", path=str(path)) from None
    keys = data.get("keys", {})
    known = {key.id for key in WORKBENCH_KEYS}
    if not isinstance(keys, dict):
        raise ThematicaError("[keys] must be a table of binding id = \"keys\"", path=str(path))
    for name, value in keys.items():
        if name not in known:
            raise ThematicaError(f"unknown binding id {name!r} (thematica keys lists them)", path=str(path))
        if not isinstance(value, str) or not value.strip():
            raise ThematicaError(f"{name}: keys must be a non-empty string such as \"ctrl+s\"", path=str(path))
    remap = {name: value.replace(" ", "") for name, value in keys.items()}
    owner: dict[str, str] = {}
    for key in WORKBENCH_KEYS:
        for one in remap.get(key.id, key.keys).split(","):
            if one in owner:  # Textual would give the key to one binding and leave the other unreachable
                raise ThematicaError(f"{one!r} is bound to both {owner[one]} and {key.id}", path=str(path))
            owner[one] = key.id
    return remap


def active_keys(remap: dict[str, str] | None = None) -> tuple[Key, ...]:
    """The table with the user's remapping applied."""
    remap = user_keymap() if remap is None else remap
    return tuple(replace(key, keys=remap.get(key.id, key.keys)) for key in WORKBENCH_KEYS)


def workbench_bindings() -> list[BindingType]:
    """The default bindings, with ids; the app applies the user's keymap on top (``App.set_keymap``)."""
    return [Binding(key.keys, key.action, key.description, show=False, id=key.id) for key in WORKBENCH_KEYS]


def footer_entry(shown: str, description: str) -> tuple[str, str]:
    """An entry of the footer as drawn: the key (reversed) and what it does, each padded by a space."""
    return f" {shown} ", f" {description} "


def footer_text(keys: tuple[Key, ...], width: int) -> list[tuple[str, str]]:
    """``(keys, description)`` for the footer, most important first, as many as fit whole in ``width``
    (entries measured as ``footer_entry`` draws them)."""
    chosen: list[tuple[str, str]] = []
    used = 0
    for key in sorted((k for k in keys if k.footer), key=lambda k: k.footer):
        shown = key.shown.split(",")[0]
        cost = sum(cell_len(part) for part in footer_entry(shown, key.description))
        if used + cost > width and chosen:
            continue
        chosen.append((shown, key.description))
        used += cost
    order = {key.description: key.footer for key in keys}
    return sorted(chosen, key=lambda item: order[item[1]] if item[1] not in ("Help", "Quit") else 99)


def keymap_table(keys: tuple[Key, ...]) -> str:
    """The active map as text (``thematica keys``)."""
    lines = [f"keymap file: {keymap_path()}", ""]
    for key in keys:
        lines.append(f"{key.id:<30} {key.shown:<22} {key.description}")
    return "\n".join(lines)
