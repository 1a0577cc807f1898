"""Sphinx configuration for the govkit documentation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docutils import nodes

# Document the working tree, not whatever govkit happens to be installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

project = "govkit"
author = "govkit developers"
copyright = "govkit developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_class_signature = "mixed"
autodoc_default_options = {"members": True}

napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Doctested ```pycon blocks end with a blank line (doctest needs it to end the
# expected output); don't show it.
highlight_options = {"pycon": {"stripnl": True}}

html_theme = "furo"
html_title = "govkit"


def _drop_exception_rtype(_app: Any, domain: str, objtype: str, content: nodes.Element) -> None:
    """Drop the "Return type: None" that autodoc adds to exceptions.

    With ``autodoc_typehints = "description"``, autodoc omits ``__init__``'s
    ``-> None`` for classes but not for exceptions (Sphinx 9). Only the
    exception's own field list is touched, not those of its members.
    """
    if domain != "py" or objtype != "exception":
        return
    for field_list in [child for child in content if isinstance(child, nodes.field_list)]:
        for field in list(field_list):
            if field[0].astext() == "rtype" and field[1].astext() == "None":
                field_list.remove(field)


def setup(app: Any) -> dict[str, bool]:
    """Register the local tweaks."""
    # Run after autodoc's own handler (priority 500) has added the field.
    app.connect("object-description-transform", _drop_exception_rtype, priority=600)
    return {"parallel_read_safe": True}
