"""Speed and scale measurements; ``python -m benchmarks`` runs them all (``make bench``)."""
