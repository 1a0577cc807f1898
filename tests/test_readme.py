"""The README's usage example runs and prints what its comments promise."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_readme_example_output_matches_comments() -> None:
    """Each print() in the README example prints the value written in its comment."""
    text = README.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code is not None
    source = code.group(1)
    promised = [
        m.group(1).strip()
        for line in source.splitlines()
        if line.startswith("print(")
        and (m := re.search(r"#\s*(.+?)(?:\s+\(R-[A-Z]+-\d+\))?$", line))
    ]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, str(README), "exec"), {})
    assert out.getvalue().splitlines() == promised
    assert len(promised) == 4
