"""The fine-tuning wizard: pick a pretrained base, map the data, choose a strategy, review, create."""
