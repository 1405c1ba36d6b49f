"""Everything that works without Qt: graph, data, engine, exporters, project files.

Nothing under ``app.core`` may import PySide6, shiboken6 or pyqtgraph; a test enforces it
so that the engine runs in a plain Python process (CLI, servers, training child processes).
"""
