"""The pictures of the "Your own war" guide, drawn from ../shared when it is there.

The Ukraine conflict is built with the guide's recipe (``build`` in
``tests/test_ukraine_end_to_end.py``) from the third-party files in
``../shared/data/ukraine_2022_2025/``. The pictures derive from DeepStateMap's polygons and
IOM's figures, whose terms do not let the project redistribute them, so they are drawn when the
documentation is built and never committed: they go to ``docs/site/_generated/ukraine/``
(not committed), with a page fragment that shows them (or says why there are none).

Run by the Sphinx configuration; by hand: ``python docs/make_ukraine_pictures.py``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data" / "ukraine_2022_2025"
OUT = ROOT / "docs" / "site" / "_generated" / "ukraine"
FRAGMENT = ROOT / "docs" / "site" / "_generated" / "ukraine_pictures.md"

#: The dates drawn, with what the reader should see on each.
DATES = {
    "2022-11-01": "before Kherson's liberation (11 November 2022): the right bank still occupied",
    "2023-06-01": "after Bakhmut's fall (20 May 2023)",
    "2024-03-01": "after Avdiivka's fall (17 February 2024)",
}

NONE = (
    "The pictures of this guide are drawn from the files above when the documentation is "
    "built next to the reference data (`../shared`); this build did not have it.\n"
)


def make(out: Path = OUT, fragment: Path = FRAGMENT) -> list[Path]:
    """Draw the pictures and write the fragment; returns the pictures written."""
    fragment.parent.mkdir(parents=True, exist_ok=True)
    if not SHARED.exists():
        fragment.write_text(NONE, encoding="utf-8")
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sys.path.insert(0, str(ROOT / "tests"))
    from test_ukraine_end_to_end import build

    import geoconflict as gc

    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gc.DataWarning)  # slivers between the source's units
        conflict, _ = build(SHARED)
        written = []
        lines = []
        for day, caption in DATES.items():
            path = out / f"ukraine_{day}.png"
            axes = gc.plot_map(conflict, day)
            gc.save_figure(axes, path)
            plt.close(axes.figure)
            written.append(path)
            lines.append(f"```{{figure}} /_generated/ukraine/{path.name}\n:alt: {caption}\n\n")
            lines.append(f"Control on {day}, {caption}.\n```\n\n")
    counts = gc.present_counts(
        conflict.flows, sorted(conflict.flows["start"].unique()), places=conflict.places
    ).dropna(how="all")
    top = counts.iloc[:, -1].sort_values(ascending=False).index[:6]
    names = conflict.places["name"].reindex(top)
    figure, axes = plt.subplots(figsize=(7, 3.6), layout="constrained")
    for place in top:
        axes.plot(counts.columns, counts.loc[place] / 1000, marker="o", label=names[place])
    axes.set_ylabel("IDPs present (thousands)")
    axes.set_title("IOM DTM estimates of IDPs present, rounds 17-20")
    axes.legend(fontsize="small", ncols=2)
    path = out / "ukraine_iom_present.png"
    figure.savefig(path, dpi=150)
    plt.close(figure)
    written.append(path)
    lines.append(
        f"```{{figure}} /_generated/ukraine/{path.name}\n:alt: IDPs present per oblast\n\n"
        "The count in force at each round (`present_counts`), never a sum of rounds.\n```\n"
    )
    fragment.write_text("".join(lines), encoding="utf-8")
    return written


if __name__ == "__main__":
    for picture in make():
        print(picture)
