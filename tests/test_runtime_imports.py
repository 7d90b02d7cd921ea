"""The app runs on its declared dependencies only: `make run` and production install
[project.dependencies], not the test extras, so no module of the apps may import a test-only
package at run time (imports under `if TYPE_CHECKING:` are for the type checker and fine)."""

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("crisisroom", "exercises", "formats", "meetings", "resilience")
# Distribution name (pyproject) -> the module it provides.
MODULE_OF = {
    "django": "django",
    "django-htmx": "django_htmx",
    "django-guardian": "guardian",
    "django-template-partials": "template_partials",
    "weasyprint": "weasyprint",
    "psycopg": "psycopg",
    "gunicorn": "gunicorn",
    "uvicorn": "uvicorn",
    "uvicorn-worker": "uvicorn_worker",
    "asgiref": "asgiref",
    "whitenoise": "whitenoise",
    "argon2-cffi": "argon2",
    "pyotp": "pyotp",
    "segno": "segno",
    "openpyxl": "openpyxl",
}


def _declared_modules() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {
        dep.split(">")[0].split("<")[0].split("[")[0].strip() for dep in project["dependencies"]
    }
    unknown = names - set(MODULE_OF)
    assert not unknown, f"say which module these dependencies provide: {unknown}"
    return {MODULE_OF[name] for name in names}


def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_apps_import_only_what_production_installs():
    allowed = _declared_modules() | set(sys.stdlib_module_names) | set(APPS)
    offending = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            extra = _runtime_imports(path) - allowed
            if extra:
                offending[str(path.relative_to(ROOT))] = sorted(extra)
    assert not offending, f"test-only or undeclared imports at run time: {offending}"
