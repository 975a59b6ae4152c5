"""Arrows enforced at run time too (as Harlequin does): headless modules never load Textual, and
the CLI starts without loading the heavy libraries its commands use only when run."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

HEADLESS = ("store", "corpus", "coding", "agreement", "themes", "interchange", "quant", "reports")
HEAVY = ("sklearn", "spacy", "statsmodels", "matplotlib", "textual", "docx", "networkx", "lxml", "scipy", "pandas")


def _modules_of(package: str) -> list[str]:
    module = __import__(f"thematica.{package}", fromlist=["__path__"])
    return [f"thematica.{package}"] + [
        info.name for info in pkgutil.walk_packages(module.__path__, prefix=f"thematica.{package}.")
        if ".migrations." not in info.name  # Alembic runs those inside its own context
    ]


def _loaded_after_import(modules: list[str], probes: tuple[str, ...]) -> dict[str, list[str]]:
    script = (
        "import importlib, json, sys\n"
        f"probes = {list(probes)!r}\n"
        "found = {}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    found[name] = [p for p in probes if p in sys.modules]\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    return json.loads(result.stdout)


def test_headless_modules_never_import_textual():
    """One child interpreter imports every headless module in turn and looks for textual after each;
    the first module after which it is loaded is the one that loads it (the libraries the modules
    share are imported once, not once per package)."""
    loaded = _loaded_after_import([name for package in HEADLESS for name in _modules_of(package)], ("textual",))
    offenders = [name for name, found in loaded.items() if found]
    assert offenders[:1] == [], f"{offenders[0] if offenders else ''} loads textual"


def test_the_cli_starts_without_the_heavy_libraries():
    script = (
        "import json, sys\n"
        "from thematica.cli.app import _register_commands\n"
        "_register_commands()\n"
        f"print(json.dumps([p for p in {list(HEAVY)!r} if p in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(result.stdout) == []
