"""The code tree pane: the codebook with counts in this document and in all documents.

Highlighting (cursor, click) never codes: it only says which code the coder is looking at
(``Highlighted``); the screen applies a code only on its own key. Enter or a click on a parent
folds it, as in any tree.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from thematica.coding.views import CodeInfo


COUNTS_TITLE = "segments: here/all"  # the tree's bottom border explains the counts (n/m)


def counts_text(here: int, everywhere: int) -> str:
    """A code's counts: its segments in the open document / in all documents ("" when none)."""
    return f" {here}/{everywhere}" if everywhere else ""


def code_label(info: CodeInfo, colour: str, here: int, everywhere: int) -> Text:
    return Text.assemble(("■ ", colour), info.name, (counts_text(here, everywhere), "dim"))


class CodeTree(Tree[CodeInfo]):
    class Highlighted(Message):
        def __init__(self, code_id: int | None) -> None:
            super().__init__()
            self.code_id = code_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codes", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2  # 80 columns: two cells a level leave room for the names
        self.border_title = "Codes"
        self.border_subtitle = COUNTS_TITLE
        self._code_nodes: dict[int, TreeNode[CodeInfo]] = {}
        self._code_signature: list[tuple[int, int | None, str, str]] | None = None
        self._lost: int | None = None  # the highlighted code when a rebuild no longer had it
        self._counts: dict[int, tuple[int, int]] = {}  # per code: segments here, in all documents

    def show_codes(self, codes: list[CodeInfo], colours: dict[int, str], here: dict[int, int],
                   everywhere: dict[int, int], *, follow: dict[int, int] | None = None) -> None:
        """Rebuild when the codebook changed, else only relabel (counts). A rebuild keeps the cursor
        on the code it was on, under its new id if an undo restored it (``follow``: old id → new)."""
        signature = [(c.id, c.parent_id, c.name, colours.get(c.id, c.color)) for c in codes]
        if signature != self._code_signature:
            kept = self.highlighted_code
            if self._lost is not None and self._lost in (follow or {}):  # the code gone earlier is back
                kept, self._lost = self._lost, None
            if kept is not None:
                kept = (follow or {}).get(kept, kept)
            self.clear()
            self.root.expand()
            nodes: dict[int | None, TreeNode[CodeInfo]] = {None: self.root}
            for info in codes:
                parent = nodes.get(info.parent_id, self.root)
                nodes[info.id] = parent.add(self._label(info, colours.get(info.id, info.color), here.get(info.id, 0),
                                                       everywhere.get(info.id, 0)), data=info, expand=True)
            for node in nodes.values():
                if node is not self.root and not node.children:
                    node.allow_expand = False
            self._code_nodes = {key: node for key, node in nodes.items() if key is not None}
            self._code_signature = signature
            if kept in self._code_nodes:
                self.call_after_refresh(self.move_cursor, self._code_nodes[kept])  # once its lines are laid out
            elif kept is not None:
                self._lost = kept  # deleted or merged away: an undo may bring it back under a new id
            return
        for info in codes:
            node = self._code_nodes[info.id]
            label = self._label(info, colours.get(info.id, info.color), here.get(info.id, 0), everywhere.get(info.id, 0))
            if node.label != label:
                node.set_label(label)

    def show_count(self, info: CodeInfo | None, colours: dict[int, str], here: int, everywhere: int) -> None:
        """Relabel one code's node (a coding action changed its counts); the rest is not touched."""
        node = self._code_nodes.get(info.id) if info is not None else None
        if info is None or node is None:
            return
        label = self._label(info, colours.get(info.id, info.color), here, everywhere)
        if node.label != label:
            node.set_label(label)

    def _label(self, info: CodeInfo, colour: str, here: int, everywhere: int) -> Text:
        self._counts[info.id] = (here, everywhere)
        return code_label(info, colour, here, everywhere)

    def render_label(self, node: TreeNode[CodeInfo], base_style: Style, style: Style) -> Text:
        """The name, cut with an ellipsis if it must be, and the counts right-aligned after it, so
        the counts show however narrow the pane (the label's counts are its last characters)."""
        text = super().render_label(node, base_style, style)
        lines = self._tree_lines_cached
        if node.data is None or lines is None or not 0 <= node.line < len(lines):
            return text
        counts = len(counts_text(*self._counts.get(node.data.id, (0, 0))))
        room = self.scrollable_content_region.width - lines[node.line]._get_guide_width(self.guide_depth,
                                                                                           self.show_root)
        if room <= counts + 4:
            return text
        head, tail = text[:len(text) - counts], text[len(text) - counts:]
        if head.cell_len > room - counts:
            head.truncate(room - counts - 1)
            head.append("…")
        if counts:
            head.append(" " * (room - counts - head.cell_len))
        return head + tail

    def get_label_width(self, node: TreeNode[CodeInfo]) -> int:
        return super().render_label(node, Style(), Style()).cell_len  # the width before the padding

    @property
    def highlighted_code(self) -> int | None:
        node = self.cursor_node
        return node.data.id if node is not None and node.data is not None else None

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[CodeInfo]) -> None:
        event.stop()
        self.post_message(self.Highlighted(event.node.data.id if event.node.data else None))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[CodeInfo]) -> None:
        event.stop()  # selecting a code in the tree never codes (the screen's apply key does)
