"""The main window: mode bar (Data → Design → Train → Evaluate → Export), menus, toolbar,
status bar, recent files, drag and drop, unsaved-changes prompt and saved layout.

It owns the :class:`ProjectDocument` (one project, one undo stack); the views under it
read the document and push undo commands. Window geometry, dock layout, recent files, the
theme and the last mode are kept in QSettings.
"""

from __future__ import annotations

import sys

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.ui import dialogs
from app.ui.document import ProjectDocument
from app.ui.icons import icon

VIEWS = ("data", "design", "train", "evaluate", "export", "experiments")
VIEW_ICONS = {"experiments": "settings"}  # views without an icon of their own
MAX_RECENT = 8
# The pages with plots are built this long after start-up (once the window has painted),
# unless the user opens one sooner.
DEFERRED_PAGES = ("train", "evaluate", "experiments")
DEFERRED_PAGES_MS = 400
PROJECT_SUFFIX = ".mwproj"


class MainWindow(QMainWindow):
    """One window per app; Open replaces the project it shows."""

    project_opened = Signal(str)

    def __init__(self, settings: QSettings | None = None, *, probe_device: bool = True) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.settings = settings if settings is not None else QSettings()
        self.document = ProjectDocument(self)
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)

        from app.ui.data.data_view import DataView
        from app.ui.designer import DesignerView
        from app.ui.export.export_view import ExportView

        self.data_view = DataView(self.document)
        self.design_view = DesignerView(self.document.project, self.document.undo_stack)
        self.document.project_replaced.connect(lambda: self.design_view.set_project(self.document.project))
        self.design_view.status_reported.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.export_view = ExportView(self.document)
        # The pages with plots (Train, Evaluate, Experiments: pyqtgraph and its widgets, a few
        # tenths of a second) are built just after the window first shows, or when first used.
        self._deferred_pages: dict[str, QWidget] = {}
        self.stack = QStackedWidget()
        for view in (self.data_view, self.design_view, QWidget(), QWidget(), self.export_view, QWidget()):
            self.stack.addWidget(view)
        self.stack.currentChanged.connect(self._on_stack_current_changed)
        self.setCentralWidget(self.stack)
        QTimer.singleShot(DEFERRED_PAGES_MS, self._build_deferred_pages)

        self._make_actions()
        self._make_menus()
        self._make_toolbars()
        self._make_status_bar()

        self.document.modified_changed.connect(self._on_document_modified_changed)
        self.document.path_changed.connect(self._on_document_path_changed)
        self.document.project_replaced.connect(self._on_document_path_changed)
        self.data_view.status_reported.connect(self._on_data_view_status_reported)
        self.data_view.busy_changed.connect(self._on_data_view_busy_changed)

        self._device_probe = None
        if probe_device:
            from app.ui.device import DeviceProbe

            self._device_probe = DeviceProbe(self)
            self._device_probe.detected.connect(self._on_device_probe_detected)
            QTimer.singleShot(1500, self._device_probe.start)

        self._restore_settings()
        self._update_title()
        from app.ui.recovery import RecoveryManager, recovery_folder

        # Unsaved work is autosaved outside the user's folders; a crashed run's is offered back.
        self.recovery = RecoveryManager(self, recovery_folder(self.settings))
        QTimer.singleShot(0, self.recovery.offer_restore)
        # "Follow the system": re-colour when the desktop switches between light and dark.
        QApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

    # --- construction --------------------------------------------------------------------------
    def _action(self, text: str, icon_name: str | None = None, shortcut=None, slot=None, tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(shortcut) if not isinstance(shortcut, list) else action.setShortcuts(shortcut)
        if slot is not None:
            action.triggered.connect(slot)
        if tip:
            action.setStatusTip(tip)
        return action

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_action = self._action(self.tr("&New Project"), "new", K.New, self.new_project,
                                       self.tr("Start an empty project"))
        self.open_action = self._action(self.tr("&Open…"), "open", K.Open, self._on_open_triggered,
                                        self.tr("Open a project or a data file"))
        self.save_action = self._action(self.tr("&Save"), "save", K.Save, self.save)
        self.save_as_action = self._action(self.tr("Save &As…"), "save-as", K.SaveAs, self.save_as)
        self.import_action = self._action(self.tr("&Import Data…"), "import", QKeySequence("Ctrl+I"),
                                          self._on_import_triggered, self.tr("Bring a table, image folder or text file into the project"))
        self.export_labels_action = self._action(self.tr("&Export Labelled Data…"), "export", None,
                                                 lambda: self.data_view.export_labelled_data())
        self.quit_action = self._action(self.tr("&Quit"), "quit", K.Quit, self.close)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.document.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(K.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = self.document.undo_stack.createRedoAction(self, self.tr("&Redo"))
        # Both habits redo everywhere: Ctrl+Shift+Z (the platform's) and Ctrl+Y (Windows, Office).
        redo_keys = QKeySequence.keyBindings(K.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setIcon(icon("redo"))
        self.mode_group = QActionGroup(self)
        self.mode_group.setExclusive(True)
        self.mode_actions: dict[str, QAction] = {}
        names = {"data": self.tr("Data"), "design": self.tr("Design"), "train": self.tr("Train"),
                 "evaluate": self.tr("Evaluate"), "export": self.tr("Export"), "experiments": self.tr("Experiments")}
        for i, view in enumerate(VIEWS):
            action = self._action(names[view], VIEW_ICONS.get(view, view), QKeySequence(f"Ctrl+{i + 1}"),
                                  lambda _c=False, v=view: self.show_view(v))
            action.setCheckable(True)
            self.mode_group.addAction(action)
            self.mode_actions[view] = action
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme, text in (("system", self.tr("Follow the System")), ("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            action = self._action(text, None, None, lambda _c=False, t=theme: self.set_theme(t))
            action.setCheckable(True)
            self.theme_group.addAction(action)
            self.theme_actions[theme] = action
        self.reset_layout_action = self._action(self.tr("Reset Panel Layout"), None, None, self.reset_layout)
        self.finetune_action = self._action(self.tr("&Fine-tune a Pretrained Model…"), None, None,
                                            self._on_finetune_triggered,
                                            self.tr("Start a project from a pretrained text model (MiniLM, BERT, GPT-2…)"))
        self.copy_train_action = self._action(self.tr("Copy &Training Command"), "run", None, self._on_copy_train_triggered,
                                              self.tr("Training runs from a terminal: copy the command for this project"))
        self.about_action = self._action(self.tr("&About Modelwright"), "help", None, self._on_about_triggered)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.log_action = self._action(self.tr("Show &Log Folder"), None, None, self._on_log_triggered)
        self.manual_action = self._action(self.tr("User &Manual"), "help", QKeySequence(K.HelpContents),
                                          self._on_manual_triggered, self.tr("Read the manual: tutorial, commands, file formats"))
        self.preferences_action = self._action(self.tr("&Preferences…"), "settings", QKeySequence(K.Preferences),
                                               self._on_preferences_triggered, self.tr("Language and theme"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.open_action])
        file_menu.addAction(self.finetune_action)
        self.examples_menu = file_menu.addMenu(self.tr("E&xamples"))
        self._fill_examples_menu()
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_labels_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        design = self.design_view  # its actions, enabled only on the Design page and when they apply
        edit_menu.addActions([design.cut_action, design.copy_action, design.paste_action,
                              design.duplicate_action, design.delete_action])
        edit_menu.addSeparator()
        edit_menu.addAction(design.select_all_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        self.edit_menu = edit_menu
        design.set_edit_actions_active(self.current_view() == "design")
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(list(self.mode_actions.values()))
        view_menu.addSeparator()
        view_menu.addAction(self.data_view.column_dock.toggleViewAction())
        view_menu.addAction(self.data_view.preparation_dock.toggleViewAction())
        view_menu.addAction(self.reset_layout_action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(self.tr("&Theme"))
        theme_menu.addActions(list(self.theme_actions.values()))
        run_menu = bar.addMenu(self.tr("&Run"))
        run_menu.addAction(self.copy_train_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([self.manual_action, self.log_action, self.about_action])

    def _make_toolbars(self) -> None:
        self.mode_bar = QToolBar(self.tr("Modes"))
        self.mode_bar.setObjectName("mode_bar")
        self.mode_bar.setMovable(False)
        self.mode_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.mode_bar.addActions(list(self.mode_actions.values()))
        for action in self.mode_actions.values():
            button = self.mode_bar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setMinimumWidth(72)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.mode_bar)
        self.file_bar = QToolBar(self.tr("Project"))
        self.file_bar.setObjectName("file_bar")
        self.file_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.file_bar.addActions([self.new_action, self.open_action, self.save_action])
        self.file_bar.addSeparator()
        self.file_bar.addActions([self.undo_action, self.redo_action])
        self.file_bar.addSeparator()
        self.file_bar.addAction(self.import_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.file_bar)

    def _make_status_bar(self) -> None:
        self.run_state_label = QLabel(self.tr("Idle"))
        self.device_label = QLabel(self.tr("Device: CPU"))
        self.device_label.setToolTip(self.tr("The device training uses (detected in the background)"))
        self.statusBar().addPermanentWidget(self.run_state_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().showMessage(self.tr("Ready"), 3000)

    # --- views -------------------------------------------------------------------------------------
    @property
    def train_view(self):
        """The Train page (built on first use)."""
        return self._page("train")

    @property
    def evaluate_view(self):
        """The Evaluate page (built on first use)."""
        return self._page("evaluate")

    @property
    def experiments_view(self):
        """The Experiments page (built on first use; it edits the Train page's settings)."""
        return self._page("experiments")

    def _page(self, name: str) -> QWidget:
        view = self._deferred_pages.get(name)
        if view is None:
            view = {"train": self._make_train_view, "evaluate": self._make_evaluate_view,
                    "experiments": self._make_experiments_view}[name]()
            self._deferred_pages[name] = view
            self._install_page(name, view)
        return view

    def _make_train_view(self) -> QWidget:
        from app.ui.training.train_view import TrainView

        view = TrainView(self.document)
        view.save_project = self.save  # a run trains the project as saved
        view.status_reported.connect(lambda text: self.statusBar().showMessage(text, 5000))
        view.run_state_changed.connect(lambda text: self.run_state_label.setText(text))
        view.run_finished.connect(self._on_train_view_run_finished)
        return view

    def _make_evaluate_view(self) -> QWidget:
        from app.ui.evaluate.evaluate_view import EvaluateView

        return EvaluateView(self.document)

    def _make_experiments_view(self) -> QWidget:
        from app.ui.experiments.experiments_view import ExperimentsView

        view = ExperimentsView(self.document, self.train_view.settings)
        view.save_project = self.save
        view.status_reported.connect(lambda text: self.statusBar().showMessage(text, 5000))
        return view

    def _install_page(self, name: str, view: QWidget) -> None:
        """Put a newly built page where its placeholder stood, on screen if that was."""
        index = VIEWS.index(name)
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.blockSignals(True)
        try:
            self.stack.insertWidget(index, view)
            self.stack.removeWidget(placeholder)
            self.stack.setCurrentIndex(current)
        finally:
            self.stack.blockSignals(False)
        placeholder.deleteLater()
        # Once the new page's minimum size has taken effect; the timer dies with the window.
        QTimer.singleShot(0, self, self._keep_on_screen)

    def _keep_on_screen(self) -> None:
        """A page built after the first paint can raise the window's minimum size and push its
        right or bottom edge off a small screen; move it back inside (never past the top left)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area, frame = screen.availableGeometry(), self.frameGeometry()
        x = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
        y = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)

    def _build_deferred_pages(self) -> None:
        for name in DEFERRED_PAGES:
            self._page(name)
        # Collect reference cycles on this (the GUI) thread only, on a timer: a collection
        # that happens to run in a worker thread frees Qt objects (plot items) from there,
        # which can crash or deadlock against the GUI thread. pyqtgraph, loaded by now, has it.
        from pyqtgraph.util.garbage_collector import GarbageCollector

        self._garbage_collector = GarbageCollector(interval=1.0)

    def _on_stack_current_changed(self, index: int) -> None:
        self.design_view.set_edit_actions_active(VIEWS[index] == "design")
        if VIEWS[index] in DEFERRED_PAGES:
            self._page(VIEWS[index])

    def show_view(self, name: str) -> None:
        index = VIEWS.index(name) if name in VIEWS else 0
        self.stack.setCurrentIndex(index)
        self.mode_actions[VIEWS[index]].setChecked(True)

    def current_view(self) -> str:
        return VIEWS[self.stack.currentIndex()]

    def set_theme(self, theme: str) -> None:
        from app.ui.theme import apply_theme

        app = QApplication.instance()
        apply_theme(app, theme)
        self.settings.setValue("appearance/theme", theme)
        self.theme_actions.get(theme, self.theme_actions["system"]).setChecked(True)
        self.data_view.model.refresh_palette()

    def _on_style_hints_color_scheme_changed(self, _scheme) -> None:
        if str(self.settings.value("appearance/theme", "system")) == "system":
            self.set_theme("system")

    def reset_layout(self) -> None:
        self.data_view.place_docks()

    # --- projects ----------------------------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        """Open a project (``*.mwproj``) or import a data file/folder into the current project."""
        path = Path(path)
        if path.suffix.lower() == PROJECT_SUFFIX:
            return self.open_project(path)
        if self.document.project is None:
            self._replace_with_new_project()
        self.show_view("data")
        return self.data_view.import_path(path) is not None

    def open_project(self, path: Path, *, trusted: bool = False) -> bool:
        """Load and show a project; a bad file gets a message and the open project stays.
        ``trusted``: the app just made the project, so its data needs no confirmation."""
        from app.ui.project_io import open_project_file

        if not self.maybe_save():
            return False
        try:
            project, overrides = open_project_file(Path(path))
        except ModelwrightError as exc:
            dialogs.warn(self, self.tr("Cannot open project"), str(exc))
            self._forget_recent(Path(path))
            return False
        if not trusted and not self._confirm_outside_data(project):
            return False
        self.document.set_project(project, overrides)
        self._add_recent(project.path)
        self.statusBar().showMessage(self.tr("Opened {path}").format(path=project.path), 5000)
        self.project_opened.emit(str(project.path))
        return True

    def new_project(self) -> bool:
        if not self.maybe_save():
            return False
        self._replace_with_new_project()
        self.show_view("data")
        return True

    def _replace_with_new_project(self) -> None:
        from app.ui.project_io import new_project

        self.document.set_project(new_project(self.tr("untitled")))

    def save(self) -> bool:
        if self.document.project is None:
            return False
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        if self.document.project is None:
            return False
        from app.ui.user_folders import is_inside_installation

        start = self.document.path
        if start is None or is_inside_installation(start):
            start = self._dialog_dir() / f"{self.document.project.name}{PROJECT_SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save project as"), str(start),
                                              self.tr("Modelwright projects (*.mwproj)"))
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != PROJECT_SUFFIX:
            path = path.with_suffix(PROJECT_SUFFIX)
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        from app.ui.project_io import save_project_file

        project = self.document.project
        renamed = self.document.path is None or Path(path).resolve() != self.document.path
        if renamed and project.name in ("untitled", self.tr("untitled"), (self.document.path or Path()).stem):
            project.name = Path(path).stem
        try:
            target = save_project_file(project, self.document.label_overrides, Path(path))
        except (ModelwrightError, OSError) as exc:
            dialogs.warn(self, self.tr("Cannot save project"), str(exc))
            return False
        self.document.mark_saved(target)
        self._approve_data(project)  # the user's own save: no question when it is reopened
        self._add_recent(target)
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=target), 5000)
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if self.document.project is None or not self.document.modified:
            return True
        answer = dialogs.ask_save_changes(self, self.document.project.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def _confirm_outside_data(self, project) -> bool:
        """A project from elsewhere may name any file as its data: ask before reading one
        outside the project's folder. The answer is remembered per project and file."""
        from app.core.safety.data_paths import data_paths_outside

        outside = data_paths_outside(project)
        approved = set(self._approved_data_keys())
        if all(f"{project.path}::{p}" in approved for p in outside):
            return True
        if not self.ask_outside_data(project.name, outside):
            self.statusBar().showMessage(self.tr("Not opened: the project's data is outside its folder."), 5000)
            return False
        self._approve_data(project)
        return True

    def ask_outside_data(self, name: str, paths: list[Path]) -> bool:
        """True when the user agrees to read ``paths`` (tests replace this)."""
        answer = QMessageBox.question(
            self, self.tr("Read data from outside the project?"),
            self.tr("“{name}” reads its data from outside its own folder:\n\n{paths}\n\nOpen the project and read "
                    "this data? Choose No if you did not expect this project to use that file.").format(
                name=name, paths="\n".join(str(p) for p in paths)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _approved_data_keys(self) -> list[str]:
        value = self.settings.value("safety/approved_data", [])
        return [value] if isinstance(value, str) else [str(v) for v in (value or [])]

    def _approve_data(self, project) -> None:
        from app.core.safety.data_paths import data_paths_outside

        keys = [f"{project.path}::{p}" for p in data_paths_outside(project)]
        if keys:
            kept = [k for k in self._approved_data_keys() if k not in keys]
            self.settings.setValue("safety/approved_data", (keys + kept)[:200])

    # --- recent files and settings -----------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path | None) -> None:
        if path is None:
            return
        entries = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent_files", entries[:MAX_RECENT])
        self.settings.setValue("last_dir", str(Path(path).parent))

    def _forget_recent(self, path: Path) -> None:
        entries = [p for p in self.recent_files() if p != str(path) and p != str(path.resolve())]
        self.settings.setValue("recent_files", entries)

    def _dialog_dir(self) -> Path:
        """Where Save As and Open start: the project's folder, never the installation."""
        from app.ui.user_folders import dialog_directory

        return dialog_directory(self.document.path, self.settings.value("last_dir"))

    def open_start_project(self) -> Path | None:
        """What a start without a project argument opens: the last project when it still exists
        outside the installation, else the user's copy of the iris example (the bundled examples
        are copied to Documents/Modelwright/examples first; copies already there are kept)."""
        from app.ui.examples import examples_home
        from app.ui.user_folders import copy_examples, is_inside_installation

        last = next((Path(p) for p in self.recent_files()[:1]), None)
        if last is not None and last.is_file() and not is_inside_installation(last) and self.open_project(last):
            return last
        try:
            example = copy_examples()
        except ModelwrightError as exc:
            dialogs.warn(self, self.tr("Cannot copy the examples"), str(exc))
            return None
        if not self.open_project(example, trusted=True):
            return None
        self.statusBar().showMessage(
            self.tr("Your copies of the example projects are in {folder}").format(folder=examples_home()), 15000)
        return example

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        entries = self.recent_files()
        for entry in entries:
            action = self.recent_menu.addAction(Path(entry).name)
            action.setStatusTip(entry)
            action.triggered.connect(lambda _c=False, p=entry: self.open_project(Path(p)))
        if not entries:
            self.recent_menu.addAction(self.tr("No recent projects")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear Menu")).triggered.connect(
                lambda: self.settings.setValue("recent_files", []))

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self._default_geometry()
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        data_state = self.settings.value("window/data_view_state")
        if isinstance(data_state, QByteArray) and not data_state.isEmpty():
            self.data_view.restoreState(data_state)
        theme = str(self.settings.value("appearance/theme", "system"))
        self.theme_actions.get(theme, self.theme_actions["system"]).setChecked(True)
        self.show_view(str(self.settings.value("window/view", "data")))

    def _default_geometry(self) -> None:
        """First start: 90 % of the screen, centred (never larger than the screen)."""
        screen = QApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        area = screen.availableGeometry()
        width, height = min(1440, int(area.width() * 0.9)), min(940, int(area.height() * 0.9))
        self.resize(width, height)
        # The window may not shrink below its minimum size; centre what it really is, never past the left/top edge.
        size = self.size().expandedTo(self.minimumSizeHint())
        self.move(area.x() + max(0, (area.width() - size.width()) // 2),
                  area.y() + max(0, (area.height() - size.height()) // 2))

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/data_view_state", self.data_view.saveState())
        self.settings.setValue("window/view", self.current_view())
        self.settings.sync()

    # --- events --------------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        from app.ui.close_guard import ask_stop_running_work, running_work

        # Asked first, stopped last: Cancel here or at the save question leaves the work going.
        work = running_work(self)
        if work and not ask_stop_running_work(self, work):
            event.ignore()
            return
        if not self.maybe_save():
            event.ignore()
            return
        self.recovery.discard()  # a clean quit: nothing to offer at the next start
        self.save_settings()
        if self._device_probe is not None:
            self._device_probe.stop()
        self.data_view.close()
        if "train" in self._deferred_pages:
            self.train_view.shutdown()  # a run in progress stops cleanly and stays resumable
        if "experiments" in self._deferred_pages:
            self.experiments_view.shutdown()  # so does a search
        from app.ui.workers import cancel_all

        cancel_all()
        event.accept()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # Deferred: a modal dialog inside a drop handler freezes the drag on some platforms.
            QTimer.singleShot(0, lambda p=paths[0]: self.open_path(p))

    # --- slots ------------------------------------------------------------------------------------------
    def _on_finetune_triggered(self) -> None:
        from app.ui.finetune.wizard import FinetuneWizard

        if not self.maybe_save():
            return
        self.finetune_wizard = FinetuneWizard(self)
        self.finetune_wizard.project_created.connect(self._on_finetune_wizard_project_created)
        self.finetune_wizard.open()

    def _on_finetune_wizard_project_created(self, path: str) -> None:
        if self.open_project(Path(path), trusted=True):
            self.show_view("train")

    def _on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open"), str(self._dialog_dir()),
            self.tr("Modelwright projects (*.mwproj);;Data files (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)"))
        if path:
            self.open_path(Path(path))

    def _on_import_triggered(self) -> None:
        if self.document.project is None:
            self._replace_with_new_project()
        self.show_view("data")
        self.data_view.choose_file()

    def _on_copy_train_triggered(self) -> None:
        import shlex

        path = str(self.document.path) if self.document.path else "PROJECT.mwproj"
        QApplication.clipboard().setText(f"{shlex.quote(sys.executable)} main.py train {shlex.quote(path)}")
        self.statusBar().showMessage(self.tr("Training command copied: paste it into a terminal."), 5000)

    def _on_about_triggered(self) -> None:
        from app import __version__

        QMessageBox.about(self, self.tr("About Modelwright"), self.tr(
            "<h3>Modelwright {version}</h3><p>Build, train and export deep-learning models without code.</p>"
            "<p>PySide6 · PyTorch · pandas · pyqtgraph</p>").format(version=__version__))

    def _fill_examples_menu(self) -> None:
        from app.ui.examples import available_examples, translated

        for example in available_examples():
            action = self.examples_menu.addAction(translated(example.title))
            action.setStatusTip(translated(example.description))
            action.triggered.connect(lambda _c=False, e=example: self.open_example(e))

    def open_example(self, example) -> bool:
        """Open the user's copy of a bundled example (copied on first use)."""
        from app.ui.examples import working_copy

        try:
            path = working_copy(example)
        except ModelwrightError as exc:
            dialogs.warn(self, self.tr("Cannot open the example"), str(exc))
            return False
        return self.open_project(path)

    def _on_manual_triggered(self) -> None:
        from app.ui.help import HelpDialog

        if getattr(self, "help_dialog", None) is None:
            self.help_dialog = HelpDialog(self)
        self.help_dialog.show()
        self.help_dialog.raise_()

    def _on_preferences_triggered(self) -> None:
        from app.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec() == PreferencesDialog.DialogCode.Accepted:
            self.set_theme(dialog.chosen_theme())

    def _on_log_triggered(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from app.ui.crash import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def _on_document_modified_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)

    def _on_document_path_changed(self) -> None:
        self._update_title()

    def _on_data_view_status_reported(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def _on_data_view_busy_changed(self, busy: bool) -> None:
        self.run_state_label.setText(self.tr("Reading data…") if busy else self.tr("Idle"))

    def _on_train_view_run_finished(self, result: dict) -> None:
        from app.ui.crash import log_training_failure

        log_training_failure(result)
        if "evaluate" in self._deferred_pages:  # one built later reads the runs when shown
            self.evaluate_view.runs_changed()

    def _on_device_probe_detected(self, text: str) -> None:
        self.device_label.setText(self.tr("Device: {device}").format(device=text))

    def _update_title(self) -> None:
        project = self.document.project
        if project is None:
            self.setWindowTitle(self.tr("Modelwright"))
        else:
            self.setWindowTitle(self.tr("{name}[*] — Modelwright").format(name=project.name))
        self.setWindowModified(self.document.modified)
        enabled = project is not None
        for action in (self.save_action, self.save_as_action, self.import_action, self.export_labels_action):
            action.setEnabled(enabled)
