"""Escaping of data text for the two places it goes: HTML markup and JSON in ``<script>``.

Text from data (place names, actor names, sources, notes, titles) never reaches the page
unescaped: in markup it goes through :func:`html_text`; inside ``<script>`` it is JSON in
which ``<``, ``>`` and ``&`` (and the line separators U+2028 / U+2029 that end a JavaScript
line) are written as ``\\uXXXX`` escapes, so no ``</script>`` or ``<!--`` can end or bend the
script, whatever the data holds.
"""

from __future__ import annotations

import html
import json

import markupsafe

__all__ = ["html_text", "script_json"]

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: object) -> markupsafe.Markup:
    """JSON text that is safe to place inside a ``<script>`` element.

    Compact (no spaces), UTF-8 characters kept as they are, and no NaN or Infinity (they are
    not JSON).

    Parameters
    ----------
    value : JSON-serialisable object

    Returns
    -------
    markupsafe.Markup
        The JSON text, marked safe for templates that escape HTML.

    Examples
    --------
    >>> print(script_json({"name": "</script><img src=x onerror=alert(1)>"}))
    {"name":"\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e"}
    >>> print(script_json(["a & b", "\\u2028"]))
    ["a \\u0026 b","\\u2028"]
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return markupsafe.Markup(text.translate(_SCRIPT_ESCAPES))


def html_text(value: object) -> markupsafe.Markup:
    """Text escaped for HTML markup (element content and quoted attribute values).

    Examples
    --------
    >>> print(html_text('<img src=x onerror="alert(1)">'))
    &lt;img src=x onerror=&quot;alert(1)&quot;&gt;
    """
    return markupsafe.Markup(html.escape(str(value), quote=True))
