"""Write the bundled product reviews table (reviews.csv: text, sentiment).

Short shop reviews put together from hand-written openings, details and closings, each phrase
carrying the sentiment of its review; a fixed seed makes the file the same on every run.
Small on purpose (300 rows): it trains in seconds and still needs the words, not their count,
to be told apart ("not bad at all" is positive, "not worth it" is negative).

    python resources/examples/reviews/make_reviews.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROWS = 300
PRODUCTS = ("kettle", "headphones", "backpack", "desk lamp", "blender", "phone case", "keyboard",
            "running shoes", "coffee grinder", "umbrella", "tent", "water bottle", "mouse", "jacket",
            "frying pan", "charger", "book light", "office chair", "speaker", "toaster")
OPENINGS = {
    "positive": ("I love this {p}.", "This {p} is excellent.", "Really happy with the {p}.",
                 "Best {p} I have owned.", "The {p} works perfectly.", "Great {p} for the price.",
                 "Not bad at all, this {p}.", "Five stars for this {p}.", "Very pleased with my new {p}.",
                 "The {p} exceeded my expectations."),
    "negative": ("I regret buying this {p}.", "This {p} is terrible.", "Really disappointed with the {p}.",
                 "Worst {p} I have owned.", "The {p} stopped working.", "Poor {p}, not worth it.",
                 "Not good at all, this {p}.", "One star for this {p}.", "Very unhappy with my new {p}.",
                 "The {p} fell far short of my expectations."),
}
DETAILS = {
    "positive": ("It feels solid and well made.", "Delivery was fast and the box was neat.",
                 "It is easy to use and quiet.", "The quality is much better than I expected.",
                 "It still works great after months.", "Setup took two minutes.",
                 "My family uses it every day.", "The colour looks even nicer in person."),
    "negative": ("It feels cheap and flimsy.", "Delivery was late and the box was crushed.",
                 "It is hard to use and noisy.", "The quality is much worse than I expected.",
                 "It broke after a week.", "Setup was a nightmare.",
                 "Nobody in my family wants to use it.", "The colour looks dull and faded."),
}
CLOSINGS = {
    "positive": ("Highly recommended.", "Would buy again.", "Worth every penny.", "A great gift idea.", ""),
    "negative": ("Avoid it.", "I am sending it back.", "A waste of money.", "Do not buy this.", ""),
}


def main() -> None:
    rng = random.Random(11)
    path = Path(__file__).resolve().parent / "reviews.csv"
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "sentiment"])
        for _ in range(ROWS):
            label = rng.choice(("positive", "negative"))
            parts = [rng.choice(OPENINGS[label]).format(p=rng.choice(PRODUCTS))]
            parts += rng.sample(DETAILS[label], rng.randint(1, 2))
            parts.append(rng.choice(CLOSINGS[label]))
            writer.writerow([" ".join(p for p in parts if p), label])
    tmp.replace(path)


if __name__ == "__main__":
    main()
