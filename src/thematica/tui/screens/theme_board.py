"""The theme board (Braun & Clarke phases 3–4): build themes from codes by keyboard.

Left: the themes (subthemes indented under their theme), each with its segments, cases and status
on a line below its name, and the codes not yet in a theme; names wrap, so a long title stays
readable at 80 columns. Right: the highlighted theme's definition and codes, and its quotes with case labels
(exemplars first, marked ★). Every key is one call to ``themes.service``, committed at once;
which coding is counted (consensus, own coding in blind mode) is decided by ``themes.board``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from thematica.coding.workbench import code_tree
from thematica.errors import ThematicaError
from thematica.store.project import Project
from thematica.themes import service
from thematica.themes.board import Board, BoardTheme, build_board
from thematica.tui.dialogs.lists import HelpScreen
from thematica.tui.dialogs.prompts import ChoicePicker, CodePicker, TextPrompt
from thematica.vocabulary import ThemeStatus

STATUS_ORDER = tuple(ThemeStatus)
BOARD_KEYS = [
    ("a", "new_theme", "New theme", True),
    ("s", "new_subtheme", "Subtheme", False),
    ("c", "add_code", "Add code", True),
    ("x", "remove_code", "Remove code", True),
    ("p", "split", "Split off code", False),
    ("m", "merge", "Merge into…", True),
    ("l", "link", "Link", False),
    ("d", "define", "Definition", False),
    ("S", "cycle_status", "Status", False),
    ("e", "exemplar", "Exemplar on/off", True),
    ("question_mark", "help", "Help", False),
    ("escape,b", "close", "Back", True),
]


class ThemeBoardScreen(Screen):
    BINDINGS = [Binding(key, action, description, show=shown) for key, action, description, shown in BOARD_KEYS]
    PALETTE_KEYS = BOARD_KEYS
    DEFAULT_CSS = """
    ThemeBoardScreen #board-left { width: 45%; }
    ThemeBoardScreen #themes { height: 2fr; border: round $primary; }
    ThemeBoardScreen #unassigned { height: 1fr; border: round $secondary; }
    ThemeBoardScreen #theme-detail { height: auto; max-height: 9; border: round $accent; padding: 0 1; }
    ThemeBoardScreen #theme-codes { height: 1fr; border: round $accent; }
    ThemeBoardScreen #quotes { height: 2fr; border: round $accent; }
    """

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project, self.coder = project, coder
        self.board: Board | None = None
        self.selected: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="board-left"):
                yield OptionList(id="themes")
                yield OptionList(id="unassigned")
            with Vertical(id="board-right"):
                yield Static(id="theme-detail")
                yield OptionList(id="theme-codes")
                yield OptionList(id="quotes")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Theme board — {self.coder}"
        self.query_one("#themes").border_title = "Themes"
        self.query_one("#unassigned").border_title = "Codes in no theme"
        self.query_one("#theme-codes").border_title = "Codes of the theme"
        self.query_one("#quotes").border_title = "Quotes (★ exemplar)"
        self.refresh_board()
        self.query_one("#themes", OptionList).focus()

    # ---- data ------------------------------------------------------------------------
    def refresh_board(self) -> None:
        self.board = build_board(self.project, self.coder)
        self.sub_title = f"coding: {self.board.coding}" + (f" — {self.board.notes[0]}" if self.board.notes else "")
        listed = self.query_one("#themes", OptionList)
        listed.clear_options()
        ordered = self._tree_order(self.board.themes)
        listed.add_options([Option(self._label(theme, depth), id=theme.name) for theme, depth in ordered])
        unassigned = self.query_one("#unassigned", OptionList)
        unassigned.clear_options()
        unassigned.add_options([Option(f"{path}  ({count})", id=path) for path, count in self.board.unassigned])
        if unassigned.option_count:
            unassigned.highlighted = 0
        if self.selected not in {t.name for t in self.board.themes}:
            self.selected = self.board.themes[0].name if self.board.themes else None
        if self.selected is not None:
            listed.highlighted = next(i for i, (theme, _) in enumerate(ordered) if theme.name == self.selected)
        self.show_theme()

    @staticmethod
    def _tree_order(themes: list[BoardTheme]) -> list[tuple[BoardTheme, int]]:
        """Themes depth-first, each subtheme after its parent, with its depth (a parent missing from
        the board counts as none)."""
        names = {theme.name for theme in themes}
        children: dict[str | None, list[BoardTheme]] = {}
        for theme in themes:
            children.setdefault(theme.parent if theme.parent in names else None, []).append(theme)
        ordered: list[tuple[BoardTheme, int]] = []

        def walk(parent: str | None, depth: int) -> None:
            for theme in children.get(parent, []):
                ordered.append((theme, depth))
                walk(theme.name, depth + 1)

        walk(None, 0)
        return ordered

    @staticmethod
    def _label(theme: BoardTheme, depth: int = 0) -> Text:
        """The name (wrapping, indented by depth) and below it the counts and status."""
        indent = "  " * depth + ("└ " if depth else "")
        return Text.assemble(indent, (theme.name, "bold"), "\n", "  " * depth,
                             (f"{theme.segments} seg · {len(theme.cases)}/{theme.of_cases} cases", "dim"),
                             (f" · {theme.status}", "italic"))

    def theme(self) -> BoardTheme | None:
        return next((t for t in self.board.themes if t.name == self.selected), None) if self.board else None

    def show_theme(self) -> None:
        theme = self.theme()
        detail, codes, quotes = (self.query_one("#theme-detail", Static), self.query_one("#theme-codes", OptionList),
                                 self.query_one("#quotes", OptionList))
        codes.clear_options()
        quotes.clear_options()
        if theme is None:
            detail.update("No themes yet: press a to create one, then c to add codes.")
            return
        detail.update(Text.assemble((theme.name, "bold"), f"  ({theme.status})\n",
                                    (theme.definition or "no definition yet (d)", "italic"), "\n",
                                    f"cases: {', '.join(theme.cases) or '–'}",
                                    ("\nlinks: " + "; ".join(theme.links)) if theme.links else ""))
        codes.add_options([Option(f"{path}  ({count})", id=path) for path, count in theme.codes])
        quotes.add_options([Option(Text.assemble(("★ " if marked else "  ", "yellow"), (f"{segment.case}: ", "bold"),
                                                 segment.text.replace("\n", " ")), id=str(segment.id))
                            for segment, marked in theme.quotes])
        for options in (codes, quotes):
            if options.option_count:
                options.highlighted = 0

    # ---- actions ---------------------------------------------------------------------
    def _do(self, work, done: str) -> None:
        try:
            work()
        except ThematicaError as error:
            self.notify(str(error), severity="error")
            return
        self.refresh_board()
        self.notify(done)

    def _ask(self, title: str, then, value: str = "") -> None:
        self.app.push_screen(TextPrompt(title, value), lambda answer: then(answer.strip()) if answer and answer.strip()
                             else None)

    def action_new_theme(self, parent: str | None = None) -> None:
        def create(name: str) -> None:
            self.selected = name
            self._do(lambda: service.add_theme(self.project, name, self.coder, parent=parent), f"theme {name} added")
        self._ask(f"New {'subtheme of ' + parent if parent else 'theme'}: name", create)

    def action_new_subtheme(self) -> None:
        if self.selected is None:
            self.notify("create a theme first (a)")
            return
        self.action_new_theme(self.selected)

    def action_add_code(self) -> None:
        if self.selected is None:
            self.notify("create a theme first (a)")
            return
        highlighted = self._highlighted("#unassigned") if self.focused is self.query_one("#unassigned") else None
        if highlighted:
            self._do(lambda: service.assign_codes(self.project, self.selected, [highlighted], self.coder),
                     f"{highlighted} → {self.selected}")
            return
        codes = [info for info, _ in code_tree(self.project, self.coder)]
        paths = {info.id: info.path for info in codes}

        theme = self.selected
        if theme is None:
            return

        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self._do(lambda: service.assign_codes(self.project, theme, [paths[code_id]], self.coder),
                         f"{paths[code_id]} → {theme}")
        self.app.push_screen(CodePicker(codes, f"Add a code to {self.selected}"), chosen)

    def _highlighted(self, selector: str) -> str | None:
        options = self.query_one(selector, OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    def action_remove_code(self) -> None:
        code = self._highlighted("#theme-codes")
        if self.selected is None or code is None:
            self.notify("highlight a code of the theme first (tab to 'Codes of the theme')")
            return
        self._do(lambda: service.assign_codes(self.project, self.selected, [code], self.coder, remove=True),
                 f"{code} removed from {self.selected}")

    def action_split(self) -> None:
        code = self._highlighted("#theme-codes")
        if self.selected is None or code is None:
            self.notify("highlight the code to split off (in 'Codes of the theme')")
            return
        source = self.selected

        def split(name: str) -> None:
            self.selected = name
            self._do(lambda: service.split_theme(self.project, source, name, [code], self.coder),
                     f"{code} split off into {name}")
        self._ask(f"Split {code} off {source} into a new theme: name", split)

    def _other_themes(self) -> list[str]:
        return [t.name for t in self.board.themes if t.name != self.selected] if self.board else []

    def _with_other_theme(self, title: str, then) -> None:
        """Pick a second theme, then call ``then(selected, other)``."""
        if self.selected is None or not self._other_themes():
            self.notify("this needs two themes")
            return
        source = self.selected
        self.app.push_screen(ChoicePicker(self._other_themes(), title.format(source=source)),
                             lambda target: then(source, target) if target else None)

    def action_merge(self) -> None:
        def merge(source: str, target: str) -> None:
            self.selected = target
            self._do(lambda: service.merge_themes(self.project, source, target, self.coder),
                     f"{source} merged into {target}")
        self._with_other_theme("Merge {source} into", merge)

    def action_link(self) -> None:
        def label_then_link(source: str, target: str) -> None:
            self._ask(f"Label of the link {source} → {target} (e.g. precondition for)",
                      lambda label: self._do(lambda: service.link_themes(self.project, source, target, label,
                                                                         self.coder), f"linked: {label}"))
        self._with_other_theme("Link {source} to", label_then_link)

    def action_define(self) -> None:
        theme = self.theme()
        if theme is None:
            return
        self._ask(f"Definition of {theme.name}", lambda text: self._do(
            lambda: service.update_theme(self.project, theme.name, self.coder, definition=text), "definition saved"),
            theme.definition)

    def action_cycle_status(self) -> None:
        theme = self.theme()
        if theme is None:
            return
        status = STATUS_ORDER[(STATUS_ORDER.index(theme.status) + 1) % len(STATUS_ORDER)]
        self._do(lambda: service.update_theme(self.project, theme.name, self.coder, status=status),
                 f"{theme.name}: {status}")

    def action_exemplar(self) -> None:
        segment = self._highlighted("#quotes")
        if self.selected is None or segment is None:
            self.notify("highlight a quote first (tab to 'Quotes')")
            return
        self._do(lambda: service.toggle_exemplar(self.project, int(segment), self.selected, self.coder),
                 "exemplar marked or unmarked")

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(BOARD_KEYS))

    def action_close(self) -> None:
        self.dismiss()

    @on(OptionList.OptionHighlighted, "#themes")
    def theme_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and event.option.id != self.selected:
            self.selected = event.option.id
            self.show_theme()
