"""Sphinx configuration of the geoconflict documentation (``make docs``).

Sphinx with numpydoc, because the docstrings are numpydoc and numpydoc is the reference
reader of that format (the one NumPy, pandas and GeoPandas build with); MyST-NB, because it
reads the Markdown pages and runs the notebooks at build time, so their outputs are
today's. The build is offline (no intersphinx, no remote assets) and turns warnings into
errors (``-W``).

Before reading the sources, the notebooks (``notebooks/*.ipynb``) and the design notes
(``docs/architecture.md``, when it exists) are copied into ``_generated/``, which is not
committed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GENERATED = HERE / "_generated"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE / "_ext"))

import geoconflict  # noqa: E402


def _copy_generated() -> None:
    """The notebooks and the design notes, copied in, with a page listing the notebooks."""
    if GENERATED.exists():
        shutil.rmtree(GENERATED)
    GENERATED.mkdir()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for notebook in notebooks:
        shutil.copy2(notebook, GENERATED / notebook.name)
    entries = "\n".join(n.stem for n in notebooks)
    (GENERATED / "notebooks.md").write_text(
        "# Notebooks\n\nThe notebooks of the source tree (`notebooks/`), run when the "
        "documentation is built, with their outputs.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n", encoding="utf-8")
    design = ROOT / "docs" / "architecture.md"
    if design.exists():
        shutil.copy2(design, GENERATED / "architecture.md")
    else:
        (GENERATED / "architecture.md").write_text(
            "# Design\n\nThe design notes are in the source tree's `docs/` folder.\n",
            encoding="utf-8")


_copy_generated()

# the "Your own war" pictures, drawn from ../shared when it is there (never committed)
sys.path.insert(0, str(ROOT / "docs"))
import make_ukraine_pictures  # noqa: E402

make_ukraine_pictures.make()

project = "geoconflict"
author = "The geoconflict developers"
copyright = "2024-2026, The geoconflict developers"
release = geoconflict.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_nb",
    "geoconflict_docs",
]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
root_doc = "index"

# numpydoc: the docstrings' own sections; no autosummary tables of class members
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"undoc-members": False}

# MyST and the notebooks: executed at build time, a failing cell fails the build
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

html_theme = "pydata_sphinx_theme"
html_title = f"geoconflict {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False
