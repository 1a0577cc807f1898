"""The README's usage examples run and print what their comments promise."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"
# "print(x)  # value (R-SLA-3)" or, on the line after a print, "# value: why"
PROMISE = re.compile(r"#\s*(.+?)(?::\s.*|\s+\(R-[A-Z]+-\d+\))?$")


def test_readme_examples_print_what_their_comments_promise() -> None:
    """Each README code block runs (in order, sharing names) and prints what its comments say."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 4
    namespace: dict[str, object] = {}
    promised: list[str] = []
    printed: list[str] = []
    for source in blocks:
        for line in source.splitlines():
            comment = PROMISE.search(line)
            if comment and (line.startswith("print(") or line.startswith("#")):
                promised.append(comment.group(1).strip())
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(source, str(README), "exec"), namespace)
        printed += out.getvalue().splitlines()
    assert printed == promised
    assert len(promised) == 10
