"""How the project's modules depend on each other: no import cycles, and the
licence parser loads without the models (components.models imports it)."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from components import licensing

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("registry", "components", "accounts")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """{module name: its path}, migrations excepted."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def run_on_import(tree):
    """The nodes that run when the module is imported: not a function's body (it
    runs when called; its decorators and defaults do run), nor what sits under
    `if TYPE_CHECKING:`."""
    found = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                walk([*node.decorator_list, *node.args.defaults, *node.args.kw_defaults])
            elif isinstance(node, ast.Lambda):
                walk(node.args.defaults)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                walk(node.orelse)
            elif node is not None:
                found.append(node)
                walk(ast.iter_child_nodes(node))

    walk(tree.body)
    return found


def lazy_exports(modules):
    """{package: {name: the module that defines it}} for packages that load their
    names on first use from an `_EXPORTS` table (components.licensing)."""
    found = {}
    for name, path in modules.items():
        if path.name != "__init__.py":
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "_EXPORTS":
                table = ast.literal_eval(node.value)
                found[name] = {n: f"{name}.{m}" for m, names in table.items() for n in names}
    return found


def import_graph():
    """{module: the project modules that importing it runs}.

    `import a.b.c` runs a, a.b and a.b.c; `from a.b import c` runs a, a.b and,
    when c is a module, a.b.c. The importing module's own packages are left out:
    they are already being imported when it runs. A name of a lazy package,
    imported or looked up while the module is imported, runs the module that
    defines it.
    """
    modules = project_modules()
    lazy = lazy_exports(modules)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        own_packages = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        wanted, bound = [], {}  # bound: local name → the module it stands for
        nodes = run_on_import(ast.parse(path.read_text(), str(path)))
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    wanted.append(alias.name)
                    bound[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom):
                stem = node.module
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    stem = ".".join([*base, node.module] if node.module else base)
                wanted.append(stem)
                for alias in node.names:
                    wanted.append(lazy.get(stem, {}).get(alias.name, f"{stem}.{alias.name}"))
                    bound[alias.asname or alias.name] = f"{stem}.{alias.name}"
        for node in nodes:
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                names = lazy.get(bound.get(node.value.id), {})
                if node.attr in names:
                    wanted.append(names[node.attr])
        targets = set()
        for target in wanted:
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in modules and prefix not in own_packages and prefix != name:
                    targets.add(prefix)
        graph[name] = targets
    return graph


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_imports_it_should():
    graph = import_graph()
    assert "components.models" in graph["components.licensing.verdicts"]
    assert "components.licensing.obligations" in graph["components.licensing.verdicts"]
    assert {"components.licensing", "components.licensing.expressions"} <= graph[
        "components.models.catalogue"
    ]
    assert "components.models.catalogue" in graph["components.models"]
    assert "components.models" in graph["components.members"]
    # Imported inside a function: not an edge.
    assert "components.models" not in graph["components.licensing.expressions"]
    assert "components.tasks" not in graph["components.notifications"]
    assert "components.notifications" in graph["components.tasks"]
    # Names of the lazy licensing package: imported, or looked up at import time.
    assert "components.licensing.report" in graph["components.members"]
    assert "components.licensing.obligations" in graph["components.api.licensing"]
    # ... in a decorator, which runs when the class is made.
    assert "components.licensing.obligations" in graph["components.api.serializers"]
    assert "components.licensing.expressions" not in graph["components.api.serializers"]


def test_the_project_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_models_import_only_the_licence_parser_of_licensing():
    graph = import_graph()
    models = [name for name in graph if name.split(".")[:2] == ["components", "models"]]
    licensing = {m for name in models for m in graph[name] if "licensing" in m}
    assert licensing == {"components.licensing", "components.licensing.expressions"}


def test_importing_the_licence_parser_does_not_import_the_models():
    script = (
        "import sys\n"
        "import components.licensing.expressions\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'components', 'accounts'})\n"
        "print(' '.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.split())
    assert "components.licensing.expressions" in loaded
    assert "components.models" not in loaded
    assert loaded == {"components", "components.licensing", "components.licensing.expressions"}


def test_every_name_the_licensing_package_offers_is_what_its_module_defines():
    for module, names in licensing._EXPORTS.items():
        defined = importlib.import_module(f"components.licensing.{module}")
        for name in names:
            assert getattr(licensing, name) is getattr(defined, name), name


# Generated data, not code to read: migrations and the demo catalogue's rows.
LONG_ALLOWED = {Path("components/demo/data.py")}
MAX_MODULE_LINES = 1100


def test_no_module_outgrows_1100_lines():
    """A module past this is several concepts that want their own modules."""
    skipped = {".venv", "node_modules", "migrations", ".git"}
    long = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if skipped & set(relative.parts) or relative in LONG_ALLOWED:
            continue
        lines = len(path.read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            long[str(relative)] = lines
    assert long == {}
