"""The Export view: pick a run and a format, export it on a worker thread, show the parity check."""
