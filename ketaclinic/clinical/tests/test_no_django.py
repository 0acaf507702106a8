"""The clinical core is a library analysts can import without Django: no module in it may import Django."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_in_the_clinical_core_imports_django():
    offenders = [str(p.relative_to(CORE)) for p in CORE.rglob("*.py") if "django" in _imports(p)]
    assert offenders == []


def test_the_core_imports_in_a_fresh_interpreter_without_django_settings():
    modules = sorted(
        "ketaclinic.clinical." + ".".join(p.relative_to(CORE).with_suffix("").parts).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
        if "tests" not in p.parts
    )
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "assert 'django' not in sys.modules, 'django was imported'"
    result = subprocess.run([sys.executable, "-c", code], cwd=CORE.parents[1], capture_output=True, text=True, env={"PATH": ""})
    assert result.returncode == 0, result.stderr
