"""Every test the hazard log names as a control exists, so a renamed test cannot silently drop a control."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"


def test_every_test_named_in_the_hazard_log_exists():
    references = set(re.findall(r"(tests/[\w/]+\.py)::(test_\w+)", LOG.read_text()))
    assert len(references) > 20
    missing = []
    for path, name in sorted(references):
        source = ROOT / path
        defined = (
            {node.name for node in ast.walk(ast.parse(source.read_text())) if isinstance(node, ast.FunctionDef)}
            if source.exists()
            else set()
        )
        if name not in defined:
            missing.append(f"{path}::{name}")
    assert missing == []
