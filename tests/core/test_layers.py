"""The cross-cutting modules in crisis_ops/ know no domain app: each app plugs itself
in through the registries. Only the URL roots, the composition root, name the apps."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSITION_ROOT = {"crisis_ops/urls.py", "crisis_ops/api_urls.py"}


def domain_apps() -> set[str]:
    """Every installed app that lives beside crisis_ops/ in this repository."""
    return {
        name
        for name in settings.INSTALLED_APPS
        if "." not in name and (ROOT / name / "apps.py").exists()
    }


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def wrong_way_imports() -> list[str]:
    apps = domain_apps()
    wrong = []
    for path in sorted((ROOT / "crisis_ops").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in COMPOSITION_ROOT or "/migrations/" in relative:
            continue
        wrong += [
            f"{relative}:{line}: {module}"
            for line, module in imported_modules(path)
            if module.split(".")[0] in apps
        ]
    return wrong


def test_the_domain_apps_are_found():
    assert {"cases", "protection_orders", "shelters", "referrals"} <= domain_apps()


def test_crisis_ops_imports_no_domain_app_outside_the_url_roots():
    assert wrong_way_imports() == []


def test_the_walk_would_see_a_wrong_way_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from cases.models import Case\n    import shelters.board\n"
        "    importlib.import_module('referrals.selectors')\n"
    )
    assert [name for _, name in imported_modules(module)] == [
        "cases.models",
        "shelters.board",
        "referrals.selectors",
    ]


def test_every_selector_takes_keyword_arguments_only():
    """selectors.py functions are called as ``x_for(user=..., ...)``: no positional mix-ups."""
    modules = [*ROOT.glob("*/selectors.py"), *ROOT.glob("crisis_ops/*/selectors.py")]
    assert len(modules) >= 5
    positional = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.name}"
        for path in modules
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and (node.args.posonlyargs or node.args.args)
    ]
    assert positional == []
