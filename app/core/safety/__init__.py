"""Reliability and safety helpers that the rest of the core leans on.

- :mod:`.data_paths`: which data a project reads from outside its own folder (the GUI asks
  before reading it, the CLI notes it).
- :mod:`.recovery`: the autosave store behind crash recovery (Qt-free; the window drives it).
- :mod:`.training_failures`: out-of-memory errors turned into a message with a fix, and a
  check that a network fits in memory before it is built.

Nothing here imports Qt. Archives: no code in Modelwright extracts archives (``.xlsx`` files
are read by openpyxl, which never writes their members to disk), so there is no extraction
path to guard against path traversal.
"""
