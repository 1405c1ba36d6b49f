"""Project text (names, node ids, columns, labels, file names) made inert in generated files.

An export writes Python (``model.py``), shell (``launch.sh``) and Markdown (the model card)
that hold words the user typed. None of those words may ever become code, a command, a
link or markup, so every one goes through the helper for its target language:

* Python: :func:`python_string` (a literal made with ``repr``, for use outside docstrings)
  or :func:`python_comment` (one line, no control characters);
* shell: :func:`shell_word` (``shlex.quote``); user text never goes into shell comments;
* Markdown: :func:`markdown_text` (inline text) or :func:`markdown_code` (a code span).

Example::

    f"PROJECT_NAME = {python_string(name)}"          # PROJECT_NAME = 'iris "v2"'
    f"# {markdown_text(name)}"                       # a heading that stays one heading
"""

from __future__ import annotations

import re
import shlex
import unicodedata

#: Characters that reorder text on screen (bidirectional overrides), so code could read
#: differently from what runs.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line(text: object) -> str:
    """``text`` as a single line of visible characters.

    Line breaks of any kind (``\\n``, a lone ``\\r``, U+2028/U+2029, U+0085) and other control
    characters become spaces; bidirectional overrides are dropped; runs of spaces shrink to one.
    """
    out = []
    for ch in str(text):
        if ch in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(ch)
        out.append(" " if category in ("Cc", "Zl", "Zp", "Cs") or ch.isspace() else ch)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


# --- Python --------------------------------------------------------------------------------
def python_string(text: object) -> str:
    """A Python string literal holding exactly ``text`` (``repr``: quotes, backslashes and
    line breaks are escaped). Place it in code, never inside a docstring or another string."""
    return repr(str(text))


def python_comment(text: object) -> str:
    """``text`` safe to follow ``#`` in Python source: one line, nothing that ends the comment."""
    return one_line(text)


# --- shell ---------------------------------------------------------------------------------
def shell_word(text: object) -> str:
    """``text`` as one shell word (``shlex.quote``): no expansion, substitution or splitting.

    NUL characters, which no shell word can hold, are dropped. Use it only in commands; a
    shell comment must not hold user text at all.
    """
    return shlex.quote(str(text).replace("\x00", ""))


# --- Markdown ------------------------------------------------------------------------------
_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Backslash-escaped: the escape itself, code spans, links and images, table cells, heading
#: marks, emphasis and strike-through, and the ':' / '@' that start automatic links (https:, a@b).
_MARKDOWN_ESCAPED = frozenset("\\`[]|#*~:@")
#: An underscore starts emphasis only at a word's edge; inside a word (sepal_length) it stays.
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def markdown_text(text: object) -> str:
    """``text`` as plain inline Markdown: one line, no HTML, links, code spans, headings or fences.

    Block syntax (headings, fences, lists) only starts at the beginning of a line, and the
    result has no line breaks; raw HTML and entities are written as entities; link, code and
    table characters are backslash-escaped, as is the dot of ``www.`` (an automatic link).
    Underscores inside words and parentheses stay readable (``sepal_length``, ``Dense (Linear)``).
    """
    out = []
    for ch in one_line(text):
        if ch in _MARKDOWN_ENTITIES:
            out.append(_MARKDOWN_ENTITIES[ch])
        elif ch in _MARKDOWN_ESCAPED:
            out.append("\\" + ch)
        else:
            out.append(ch)
    text = _EDGE_UNDERSCORE.sub(r"\\_", "".join(out))
    return re.sub(r"(?i)\b(www)\.", r"\1\\.", text)


def markdown_code(text: object) -> str:
    """``text`` as a Markdown code span (shown verbatim, never interpreted), on one line.

    The fence is one backtick longer than the longest run of backticks inside.
    """
    body = one_line(text) or " "
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.endswith(" ")):
        body = f" {body} "
    return f"{fence}{body}{fence}"
