"""The Experiments view (hyper-parameter search) and the learning-curve diagnosis panel."""
