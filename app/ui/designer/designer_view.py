"""The network designer: palette, canvas, inspector and summary around one project's graph.

Every edit goes the same way: a gesture or action asks for it, an :class:`EditBuilder` turns
it into model operations (refusing bad edits with a plain-words message before anything
changes), a :class:`GraphEditCommand` goes onto the project's undo stack and applies them to
the graph, and the graph's events redraw the canvas, inspector and summary. Undo and redo
replay the same operations, so the views never edit themselves.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.core.graph.graph import Edge, Graph, NodeAdded, NodeMoved, NodeRemoved, ParamChanged
from app.ui.core_texts import core_text
from app.ui.designer.canvas import CanvasView
from app.ui.designer.clipboard import clipboard_fragment, paste_offset, pointer_on_canvas, put_on_clipboard
from app.ui.designer.commands import GraphEditCommand
from app.ui.designer.edits import (
    Connect,
    Disconnect,
    EditBuilder,
    MoveNode,
    connection_refusal,
    displaced_edges,
    copy_fragment,
    paste_fragment,
    snap,
)
from app.ui.designer.inspector import InspectorWidget
from app.ui.designer.items import NODE_HEIGHT, NODE_WIDTH, NodeItem
from app.ui.designer.palette import RESIDUAL_BLOCK, PaletteWidget
from app.ui.designer.scene import DesignerScene
from app.ui.designer.summary_panel import SummaryPanel

ROW_GAP = 110.0


class DesignerView(QWidget):
    """The Design page. ``graph_edited`` is emitted after the network changed (edit, undo, redo)."""

    graph_edited = Signal()
    status_reported = Signal(str)
    selection_changed = Signal(list)

    def __init__(self, project, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designer_view")
        self.project = None
        self.undo_stack = undo_stack
        self._unsubscribe = None
        self._dirty = False
        self._shapes_dirty = False
        self._paste_count = 0
        self._hint_shown = False
        self._edit_active = True
        self._needs_fit = True
        self._data_info_cache: dict[str, Any] = {}
        self._info_job = None

        self.scene = DesignerScene(self)
        self.canvas = CanvasView(self.scene)
        self.palette_panel = PaletteWidget()
        self.inspector = InspectorWidget()
        self.summary = SummaryPanel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(20)
        self.zoom_label = QLabel("100%")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message.setText(""))
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.flush)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(150)
        self._summary_timer.timeout.connect(self._on_summary_timer_timeout)

        self._make_actions()
        self._layout()

        self.palette_panel.layer_activated.connect(self._on_palette_layer_activated)
        self.canvas.layer_dropped.connect(self._on_canvas_layer_dropped)
        self.canvas.nodes_dragged.connect(self._on_canvas_nodes_dragged)
        self.canvas.connection_dropped.connect(self._on_canvas_connection_dropped)
        self.canvas.context_menu_requested.connect(self._on_canvas_context_menu_requested)
        self.canvas.connection_refused.connect(self.report)
        self.canvas.hint_reported.connect(self._on_canvas_hint_reported)
        self.canvas.zoom_changed.connect(self._on_canvas_zoom_changed)
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.inspector.param_edited.connect(self._on_inspector_param_edited)
        self.summary.node_clicked.connect(self._on_summary_node_clicked)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        QApplication.clipboard().dataChanged.connect(self._on_clipboard_data_changed)
        self.set_project(project)

    # --- construction ------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str | None = None, canvas_only: bool = False) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut if canvas_only
                                  else Qt.ShortcutContext.WidgetWithChildrenShortcut)
        (self.canvas if canvas_only else self).addAction(action)
        return action

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.templates_action = self._action(self.tr("Templates…"), lambda: self.choose_template(), None,
                                             self.tr("Start the network from a ready-made template sized to your data"))
        self.arrange_action = self._action(self.tr("Arrange"), self.arrange, QKeySequence("Ctrl+Shift+L"),
                                           self.tr("Lay the network out top to bottom"))
        self.fit_action = self._action(self.tr("Fit"), self.canvas.fit_to_view, QKeySequence("F"),
                                       self.tr("Zoom to show the whole network"), canvas_only=True)
        self.zoom_in_action = self._action(self.tr("Zoom In"), lambda: self.canvas.zoom_by(1.25),
                                           [QKeySequence(K.ZoomIn), QKeySequence("Ctrl+=")], canvas_only=True)
        self.zoom_out_action = self._action(self.tr("Zoom Out"), lambda: self.canvas.zoom_by(0.8),
                                            QKeySequence(K.ZoomOut), canvas_only=True)
        self.delete_action = self._action(self.tr("Delete"), self.delete_selection,
                                          [QKeySequence(K.Delete), QKeySequence("Backspace")],
                                          self.tr("Delete the selected layers and connections"), canvas_only=True)
        self.copy_action = self._action(self.tr("Copy"), self.copy_selection, QKeySequence(K.Copy), canvas_only=True)
        self.cut_action = self._action(self.tr("Cut"), self.cut_selection, QKeySequence(K.Cut), canvas_only=True)
        self.paste_action = self._action(self.tr("Paste"), lambda: self.paste(), QKeySequence(K.Paste), canvas_only=True)
        self.duplicate_action = self._action(self.tr("Duplicate"), self.duplicate_selection, QKeySequence("Ctrl+D"),
                                             canvas_only=True)
        self.select_all_action = self._action(self.tr("Select All"), self.select_all, QKeySequence(K.SelectAll),
                                              canvas_only=True)
        self.expand_action = self._action(self.tr("Expand Block"), self.expand_selected, QKeySequence("Ctrl+E"),
                                          self.tr("Write the selected block out as the layers it is made of"))
        self.collapse_action = self._action(self.tr("Collapse into Block"), self.collapse_selected,
                                            QKeySequence("Ctrl+G"),
                                            self.tr("Turn the selected layers back into one block node"))
        self.residual_action = self._action(self.tr("Insert Residual Block"), lambda: self.insert_residual_block(), None,
                                            self.tr("Add two layers with a skip connection after the selected layer"))
        self.snap_action = self._action(self.tr("Snap to Grid"), self._on_snap_action_toggled)
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(True)
        self.overview_action = self._action(self.tr("Overview"), self._on_overview_action_toggled, None,
                                            self.tr("Show a map of the whole network in the canvas corner"))
        self.overview_action.setCheckable(True)
        self.overview_action.setChecked(True)

    def _layout(self) -> None:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.templates_action)
        toolbar.addSeparator()
        toolbar.addActions([self.arrange_action, self.fit_action, self.zoom_out_action, self.zoom_in_action])
        toolbar.addWidget(self.zoom_label)
        toolbar.addSeparator()
        blocks = QMenu(self.tr("Blocks"), self)
        blocks.addActions([self.expand_action, self.collapse_action, self.residual_action])
        blocks_button = QToolButton()
        blocks_button.setText(self.tr("Blocks"))
        blocks_button.setMenu(blocks)
        blocks_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(blocks_button)
        view = QMenu(self.tr("View"), self)
        view.addActions([self.snap_action, self.overview_action])
        view_button = QToolButton()
        view_button.setText(self.tr("Options"))
        view_button.setMenu(view)
        view_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(view_button)
        toolbar.addSeparator()
        toolbar.addAction(self.delete_action)
        self.toolbar = toolbar

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(2)
        centre_layout.addWidget(toolbar)
        centre_layout.addWidget(self.canvas, 1)
        centre_layout.addWidget(self.message)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        title = QLabel(self.tr("<b>Layers</b>"))
        left_layout.addWidget(title)
        left_layout.addWidget(self.palette_panel, 1)
        hint = QLabel(self.tr("Drag a layer onto the canvas (onto a layer to attach it below), or double-click "
                              "it to add it below the selection. Drag from a layer's bottom port to another's "
                              "top port to connect them."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        left_layout.addWidget(hint)

        # Inspector above, summary below: both stay in sight while editing.
        self.side_tabs = QSplitter(Qt.Orientation.Vertical)
        for title, panel in ((self.tr("Inspector"), self.inspector), (self.tr("Summary"), self.summary)):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(6, 6, 6, 0)
            box_layout.setSpacing(0)
            box_layout.addWidget(QLabel(f"<b>{title}</b>"))
            box_layout.addWidget(panel, 1)
            self.side_tabs.addWidget(box)
        self.side_tabs.setSizes([400, 500])
        self.side_tabs.setChildrenCollapsible(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(centre)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([220, 800, 380])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # --- project ------------------------------------------------------------------------------
    @property
    def graph(self) -> Graph | None:
        return self.project.graph if self.project is not None else None

    def set_project(self, project) -> None:
        """Show another project's network (the undo stack is the window's; it is cleared there)."""
        self._detach()
        self.project = project
        graph = self.graph
        self.scene.set_graph(graph)
        if graph is not None:
            self._unsubscribe = graph.subscribe(self._on_graph_changed)
        self._paste_count = 0
        self.inspector.show_node(graph, None)
        self._dirty = self._shapes_dirty = True
        self.flush()
        self._needs_fit = True
        if self.isVisible():
            QTimer.singleShot(0, self._fit_once)
        self.setEnabled(project is not None)

    def _detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def closeEvent(self, event) -> None:
        self._detach()
        if self._info_job is not None and self._info_job.running:
            self._info_job.cancel()
        super().closeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._needs_fit:
            QTimer.singleShot(0, self._fit_once)

    def _fit_once(self) -> None:
        if self._needs_fit and self.canvas.isVisible():
            self._needs_fit = False
            self.canvas.fit_to_view(readable=0.8)
            self.canvas.minimap.refresh_visibility()

    # --- model events --------------------------------------------------------------------------
    def _on_graph_changed(self, event) -> None:
        try:
            self.scene.on_graph_event(event)
        except RuntimeError:  # this view was destroyed without being closed: stop listening
            self._detach()
            return
        if isinstance(event, ParamChanged) and event.node_id == self.inspector.node_id:
            self.inspector.refresh_value(event.name)
        elif isinstance(event, (NodeAdded, NodeRemoved)):
            if isinstance(event, NodeRemoved) and event.node_id == self.inspector.node_id:
                self.inspector.show_node(self.graph, None)
            else:
                self.inspector.refresh_node_choices()
        if not isinstance(event, NodeMoved):  # moves change no shape: skip inference and summary
            self._shapes_dirty = True
        self._dirty = True
        self._refresh_timer.start()

    def flush(self) -> None:
        """Bring shapes, badges, edge labels and the overview up to date (once per edit)."""
        self._refresh_timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        graph = self.graph
        if graph is not None:
            self.scene.grow_to_fit()
        self.canvas.minimap.invalidate()
        if not self._shapes_dirty:
            self.graph_edited.emit()
            return
        self._shapes_dirty = False
        if graph is not None:
            from app.core.graph.shapes import infer_shapes

            self.scene.show_shapes(infer_shapes(graph))
        self._summary_timer.start()
        self.update_edit_actions()
        self.graph_edited.emit()

    def _on_summary_timer_timeout(self) -> None:
        self.summary.show_graph(self.graph)
        selected = self.selected_node_ids()
        self.summary.select_node(selected[0] if len(selected) == 1 else None)

    def _on_undo_stack_index_changed(self, index: int) -> None:
        self.flush()

    # --- editing (each is one undo step) ----------------------------------------------------------
    def push(self, builder: EditBuilder, text: str, merge_key: object = None) -> bool:
        if not builder.ops:
            return False
        self.undo_stack.push(GraphEditCommand(self.graph, builder.ops, text, merge_key=merge_key))
        return True

    def report(self, text: str, seconds: float = 8.0) -> None:
        """A message under the canvas (and in the window's status bar)."""
        self._hint_shown = False
        self.message.setText(text)
        if text:
            self._message_timer.start(int(seconds * 1000))
        self.status_reported.emit(text)

    def _edit(self, fn, text: str, merge_key: object = None):
        """Build an edit with ``fn(builder)``; a refused edit is reported and nothing changes."""
        if self.graph is None:
            return None
        builder = EditBuilder(self.graph)
        try:
            result = fn(builder)
        except ModelwrightError as exc:
            self.report(str(exc))
            return None
        self.push(builder, text, merge_key)
        return result

    def add_layer(self, type_id: str, position: tuple[float, float] | None = None, *, after: str | None = None,
                  select: bool = True, reveal: bool = True) -> str | None:
        """Add a layer at ``position`` (top-left, snapped), or below ``after`` and fed by it;
        ``reveal`` scrolls it into sight (not for a drop: the user put it where they look)."""
        from app.core.graph.registry import get_layer_spec

        if type_id == RESIDUAL_BLOCK:
            return self.insert_residual_block(after)
        try:
            spec = get_layer_spec(type_id)
        except ModelwrightError as exc:
            self.report(str(exc))
            return None
        if position is None:
            position = self._free_spot_below(after)

        def build(b: EditBuilder) -> str:
            nid = b.add_node(type_id, (snap(position[0]), snap(position[1])))
            if after and spec.inputs and b.scratch.has_node(after):
                if connection_refusal(b.scratch, after, nid, spec.inputs[0].name) is None:
                    b.connect(after, nid, target_port=spec.inputs[0].name)
            return nid

        nid = self._edit(build, self.tr("Add {layer}").format(layer=core_text(spec.display_name)))
        if nid and select:
            self.select_nodes([nid], reveal=reveal)
        return nid

    def _free_spot_below(self, after: str | None) -> tuple[float, float]:
        graph = self.graph
        if after and graph.has_node(after):
            x, y = graph.node(after).position
            y += ROW_GAP

            def taken(x: float, y: float) -> bool:
                return any(abs(n.position[0] - x) < NODE_WIDTH + 20 and abs(n.position[1] - y) < NODE_HEIGHT + 20
                           for n in graph.nodes)

            while taken(x, y):  # beside whatever already hangs below it
                x += NODE_WIDTH + 40
            return (x, y)
        if len(graph):
            lowest = max(graph.nodes, key=lambda n: n.position[1])
            return (lowest.position[0], lowest.position[1] + ROW_GAP)
        centre = self.canvas.mapToScene(self.canvas.viewport().rect().center())
        return (centre.x() - NODE_WIDTH / 2, centre.y() - NODE_HEIGHT / 2)

    def connect_ports(self, source: str, target: str, target_port: str = "in", *, replace: bool = False) -> bool:
        """Connect two layers (one undo step); with ``replace`` a wire already in a port that
        takes one input is swapped for the new one in that same step."""
        # Checked against the live graph (no scratch copy): connecting must stay within a frame
        # on big networks, and connection_refusal mirrors every rule of Graph.connect.
        graph = self.graph
        if graph is None:
            return False
        for nid in (source, target):
            if not graph.has_node(nid):
                self.report(self.tr("There is no layer '{node}' in the network.").format(node=nid))
                return False
        why = connection_refusal(graph, source, target, target_port, replace=replace)
        if why is not None:
            self.report(why)
            return False
        old = displaced_edges(graph, target, target_port) if replace else []
        ops = [Disconnect(e) for e in old] + [Connect(Edge(source, "out", target, target_port))]
        if old:
            text = self.tr("Connect {a} → {b} instead of {c}").format(a=source, b=target, c=old[0].source)
        else:
            text = self.tr("Connect {a} → {b}").format(a=source, b=target)
        self.undo_stack.push(GraphEditCommand(graph, ops, text))
        if old:
            self.report(self.tr("Connected {a} → {b}, replacing the wire from {c}.").format(
                a=source, b=target, c=old[0].source), 4)
        else:
            self.report(self.tr("Connected {a} → {b}.").format(a=source, b=target), 4)
        return True

    def disconnect_edge(self, edge) -> bool:
        return self._edit(lambda b: b.disconnect(edge) or True,
                          self.tr("Disconnect {a} → {b}").format(a=edge.source, b=edge.target)) is not None

    def set_param(self, node_id: str, name: str, value: Any) -> bool:
        def build(b: EditBuilder) -> bool:
            b.set_param(node_id, name, value)
            return True

        ok = self._edit(build, self.tr("Change {name} of {node}").format(name=name, node=node_id),
                        merge_key=("param", node_id, name))
        if ok is None:
            self.inspector.refresh_value(name)
        return ok is not None

    def move_nodes(self, positions: dict[str, tuple[float, float]], merge_key: object = None) -> None:
        # Built directly, without EditBuilder's scratch copy: a drag sends one of these per
        # pointer move, and a move cannot break any rule of the graph.
        graph = self.graph
        if graph is None:
            return
        ops = []
        for nid, pos in positions.items():
            if graph.has_node(nid):
                old, new = graph.node(nid).position, (float(pos[0]), float(pos[1]))
                if old != new:
                    ops.append(MoveNode(nid, old, new))
        if not ops:
            return
        text = self.tr("Move {node}").format(node=ops[0].node_id) if len(ops) == 1 else \
            self.tr("Move {n} layers").format(n=len(ops))
        self.undo_stack.push(GraphEditCommand(graph, ops, text, merge_key=merge_key))

    def delete_selection(self) -> None:
        nodes = self.selected_node_ids()
        edges = [i.edge for i in self.scene.selectedItems() if hasattr(i, "edge")]
        if not nodes and not edges:
            return

        def build(b: EditBuilder) -> None:
            for e in edges:
                if e in b.scratch.edges:
                    b.disconnect(e)
            b.remove_nodes(nodes)

        what = nodes[0] if len(nodes) == 1 and not edges else self.tr("{n} items").format(n=len(nodes) + len(edges))
        self._edit(build, self.tr("Delete {what}").format(what=what))

    def copy_selection(self) -> dict | None:
        ids = self.selected_node_ids()
        if not ids:
            return None
        fragment = copy_fragment(self.graph, ids)
        put_on_clipboard(fragment)
        self._paste_count = 0
        self.update_edit_actions()
        self.report(self.tr("Copied {n} layers.").format(n=len(ids)), 3)
        return fragment

    def cut_selection(self) -> None:
        if self.copy_selection() is not None:
            self.delete_selection()

    def paste(self, fragment: dict | None = None, at: QPointF | None = None, *, at_pointer: bool = True) -> list[str]:
        """Add the clipboard's layers (or ``fragment``) with their top-left at ``at`` (a scene
        point; with ``at_pointer``, the pointer when it is over the canvas), else beside the
        originals; never on top of a layer already there."""
        if fragment is None:
            fragment = clipboard_fragment()
            if fragment is None:
                self.report(self.tr("The clipboard holds no layers copied from the designer."))
                return []
        if at is None and at_pointer:
            at = pointer_on_canvas(self.canvas)
        self._paste_count += 1
        offset = paste_offset(self.graph, fragment, at, self._paste_count)
        created = self._edit(lambda b: paste_fragment(b, fragment, offset),
                             self.tr("Paste {n} layers").format(n=len(fragment.get("nodes") or [])))
        if created:
            self.select_nodes(created, reveal=at is None)  # at the pointer: already in sight
        return created or []

    def duplicate_selection(self) -> list[str]:
        ids = self.selected_node_ids()
        if not ids:
            return []
        self._paste_count = 0
        return self.paste(copy_fragment(self.graph, ids), at_pointer=False)

    # --- the Edit menu's actions ---------------------------------------------------------------------
    def set_edit_actions_active(self, active: bool) -> None:
        """Cut, copy, paste and the rest apply only while the Design page is shown (the
        window's Edit menu lists them on every page)."""
        self._edit_active = active
        self.update_edit_actions()

    def update_edit_actions(self) -> None:
        """Enable each editing action only when it would do something."""
        try:
            nodes = self.selected_node_ids()
            edges = [i for i in self.scene.selectedItems() if hasattr(i, "edge")]
        except RuntimeError:  # the view is being destroyed
            return
        active = self._edit_active and self.graph is not None
        for action in (self.copy_action, self.cut_action, self.duplicate_action):
            action.setEnabled(active and bool(nodes))
        self.delete_action.setEnabled(active and bool(nodes or edges))
        self.paste_action.setEnabled(active and clipboard_fragment() is not None)
        self.select_all_action.setEnabled(active and bool(self.scene.nodes))

    def _on_clipboard_data_changed(self) -> None:
        self.update_edit_actions()

    def arrange(self) -> None:
        from app.core.graph.layout import layered_layout

        if self.graph is None or not len(self.graph):
            return
        positions = layered_layout(self.graph)

        def build(b: EditBuilder) -> None:
            for nid, pos in positions.items():
                b.move(nid, pos)

        self._edit(build, self.tr("Arrange layers"))
        self.canvas.fit_to_view()

    def expand_selected(self) -> list[str]:
        from app.core.graph.composite import expand_block

        ids = self.selected_node_ids()
        if len(ids) != 1:
            self.report(self.tr("Select one block (a GPT decoder block or a Transformer encoder layer) to expand it."))
            return []

        def build(b: EditBuilder) -> list[str]:
            repl = expand_block(self.graph, ids[0])
            b.replace(repl)
            return repl.added_ids

        added = self._edit(build, self.tr("Expand {node}").format(node=ids[0]))
        if added:
            self.select_nodes(added)
        return added or []

    def collapse_selected(self) -> str | None:
        from app.core.graph.composite import collapse_blocks

        ids = self.selected_node_ids()

        def build(b: EditBuilder) -> str:
            repl = collapse_blocks(self.graph, ids)
            b.replace(repl)
            return repl.added_ids[0]

        new = self._edit(build, self.tr("Collapse into block"))
        if new:
            self.select_nodes([new])
        return new

    def insert_residual_block(self, after: str | None = None) -> str | None:
        from app.core.graph.composite import residual_block

        if after is None:
            ids = self.selected_node_ids()
            after = ids[0] if len(ids) == 1 else None

        def build(b: EditBuilder) -> str:
            repl = residual_block(self.graph, after)
            b.replace(repl)
            return repl.added_ids[-1]

        last = self._edit(build, self.tr("Insert residual block"))
        if last:
            self.select_nodes([last])
        return last

    def apply_template(self, name: str, info) -> bool:
        """Replace the network with template ``name`` sized to ``info`` (one undo step)."""
        from app.core.graph.templates import build_template_graph

        def build(b: EditBuilder) -> bool:
            b.replace_all(build_template_graph(name, info))
            return True

        done = self._edit(build, self.tr("Use template {name}").format(name=name))
        if done:
            self.canvas.fit_to_view()
        return bool(done)

    # --- templates gallery -------------------------------------------------------------------------
    def choose_template(self) -> None:
        from app.ui.designer.templates import TemplateGallery

        if self.graph is None:
            return
        dialog = TemplateGallery(self.graph, self._cached_data_info(), self)
        self._request_data_info(dialog)
        if dialog.exec() and dialog.chosen():
            self.apply_template(dialog.chosen(), dialog.info_for(dialog.chosen()))

    def _data_key(self) -> str | None:
        if self.project is None or not self.project.data:
            return None
        return json.dumps(self.project.data, sort_keys=True) + str(self.project.folder)

    def _cached_data_info(self):
        return self._data_info_cache.get(self._data_key()) if self._data_key() else None

    def _request_data_info(self, dialog) -> None:
        """Prepare the project's data on a worker thread to size templates exactly."""
        key = self._data_key()
        if key is None or key in self._data_info_cache:
            return
        from app.ui.workers import start_job

        dialog.set_data_info(None, self.tr("Reading the project's data to size the templates…"))
        job = start_job(_data_info_job, self.project.data, self.project.folder, parent=self)
        self._info_job = job

        def succeeded(info) -> None:
            self._data_info_cache[key] = info
            try:
                dialog.set_data_info(info)
            except RuntimeError:  # the dialog was closed meanwhile
                pass

        def failed(exc) -> None:
            try:
                dialog.set_data_info(None, self.tr("The data could not be prepared ({error}); sizes come from "
                                                   "the current Input layer.").format(error=exc))
            except RuntimeError:
                pass

        job.succeeded.connect(succeeded)
        job.failed.connect(failed)

    # --- selection -----------------------------------------------------------------------------------
    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.scene.selectedItems() if isinstance(i, NodeItem)]

    def select_nodes(self, ids: list[str], reveal: bool = True) -> None:
        self.scene.blockSignals(True)
        self.scene.clearSelection()
        for nid in ids:
            item = self.scene.nodes.get(nid)
            if item is not None:
                item.setSelected(True)
        self.scene.blockSignals(False)
        self._on_scene_selection_changed()
        if reveal and len(ids) == 1 and ids[0] in self.scene.nodes:
            self.canvas.ensureVisible(self.scene.nodes[ids[0]], 40, 40)

    def select_all(self) -> None:
        self.select_nodes(list(self.scene.nodes))

    # --- slots ---------------------------------------------------------------------------------------
    def _on_scene_selection_changed(self) -> None:
        try:
            ids = self.selected_node_ids()
        except RuntimeError:
            return
        self.inspector.show_node(self.graph, ids[0] if len(ids) == 1 else None, count=len(ids))
        self.summary.select_node(ids[0] if len(ids) == 1 else None)
        from app.core.graph.composite import is_expandable

        self.expand_action.setEnabled(len(ids) == 1 and is_expandable(self.graph, ids[0]))
        self.collapse_action.setEnabled(len(ids) >= 2)
        self.residual_action.setEnabled(len(ids) == 1)
        self.update_edit_actions()
        self.selection_changed.emit(ids)

    def _on_palette_layer_activated(self, type_id: str) -> None:
        ids = self.selected_node_ids()
        self.add_layer(type_id, after=ids[-1] if ids else None)
        self.canvas.setFocus()

    def _on_canvas_layer_dropped(self, type_id: str, scene_pos: QPointF, on_node: str) -> None:
        if type_id == RESIDUAL_BLOCK:
            self.insert_residual_block(on_node or None)
            return
        if on_node:
            nid = self.add_layer(type_id, after=on_node, reveal=False)
            item = self.scene.nodes.get(nid or "")
            visible = self.canvas.mapToScene(self.canvas.viewport().rect()).boundingRect()
            if item is not None and not visible.intersects(item.sceneBoundingRect()):
                self.canvas.ensureVisible(item, 40, 40)  # scroll only when it landed out of sight
        else:
            self.add_layer(type_id, (scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - NODE_HEIGHT / 2), reveal=False)
        self.canvas.setFocus()

    def _on_canvas_nodes_dragged(self, positions: dict, key: object) -> None:
        self.move_nodes(positions, merge_key=key)

    def _on_canvas_connection_dropped(self, source: str, target: str, port: str) -> None:
        self.connect_ports(source, target, port, replace=True)

    def _on_canvas_hint_reported(self, text: str) -> None:
        """What the port under a dragged wire would do: shown under the canvas only while the
        drag lasts (never in the status bar, which says what happened)."""
        if text:
            self._message_timer.stop()
            self.message.setText(text)
            self._hint_shown = True
        elif self._hint_shown:
            self.message.setText("")
            self._hint_shown = False

    def _on_canvas_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f}%")

    def _on_inspector_param_edited(self, node_id: str, name: str, value: Any) -> None:
        self.set_param(node_id, name, value)

    def _on_summary_node_clicked(self, node_id: str) -> None:
        self.select_nodes([node_id])

    def _on_snap_action_toggled(self) -> None:
        self.canvas.snap_to_grid = self.snap_action.isChecked()

    def _on_overview_action_toggled(self) -> None:
        self.canvas.minimap.enabled_by_user = self.overview_action.isChecked()
        self.canvas.minimap.refresh_visibility()

    def _on_canvas_context_menu_requested(self, global_pos, node_id: str, edge) -> None:
        menu = QMenu(self)
        if edge is not None:
            menu.addAction(self.tr("Disconnect"), lambda: self.disconnect_edge(edge))
        elif node_id:
            menu.addActions([self.copy_action, self.cut_action, self.duplicate_action, self.delete_action])
            menu.addSeparator()
            menu.addActions([self.expand_action, self.collapse_action, self.residual_action])
        else:
            menu.addActions([self.paste_action, self.select_all_action])
            menu.addSeparator()
            menu.addActions([self.arrange_action, self.fit_action, self.templates_action])
        menu.exec(global_pos)


def _data_info_job(data: dict, folder, progress=None):
    """Worker-thread job: the DataInfo of the project's data (prepare reads it and imports torch)."""
    from app.core.data import prepare
    from app.core.data.config import DataConfig

    return prepare(DataConfig.from_dict(data), folder, progress=progress).info
