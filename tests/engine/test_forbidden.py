"""Forbidden APIs are found in the source through any form a student writes, and only where used."""

import ast
from pathlib import Path

import pytest

from autograder.course.config import load_course
from autograder.intake import forbidden as scan_module
from autograder.intake.forbidden import DYNAMIC, equivalents, forbidden_uses, missing_calls
from tests.engine.conftest import REPO

FORBIDDEN = {"mse": ["torch.nn.functional.mse_loss", "torch.nn.MSELoss",
                     "sklearn.metrics.mean_squared_error"],
             "mae": ["sklearn.metrics.mean_absolute_error"]}
F = "import torch.nn.functional as F\n"

# Each form is one way a student writes a forbidden call into `mse` (grader.md, Revision 2).
FORMS = {
    "alias": F + "def mse(a, b):\n    return F.mse_loss(a, b)\n",
    "full path": "import torch\ndef mse(a, b):\n    return torch.nn.functional.mse_loss(a, b)\n",
    "from-import as": "from torch.nn import functional as F\ndef mse(a, b):\n    return F.mse_loss(a, b)\n",
    "from torch import nn": "from torch import nn\ndef mse(a, b):\n    return nn.MSELoss()(a, b)\n",
    "renamed function": "from sklearn.metrics import mean_squared_error as m\n"
                        "def mse(a, b):\n    return m(b, a)\n",
    "module-level alias": F + "loss = F.mse_loss\ndef mse(a, b):\n    return loss(a, b)\n",
    "module-level object": "import torch.nn as nn\nloss = nn.MSELoss()\n"
                           "def mse(a, b):\n    return loss(a, b)\n",
    "helper": F + "def _helper(a, b):\n    return F.mse_loss(a, b)\n"
              "def mse(a, b):\n    return _helper(a, b)\n",
    "definition inside if": F + "if True:\n    def mse(a, b):\n        return F.mse_loss(a, b)\n",
    "definition inside try": F + "try:\n    import numpy\nexcept ImportError:\n    pass\nelse:\n"
                             "    def mse(a, b):\n        return F.mse_loss(a, b)\n",
    "rebinding after a definition": F + "def mse(a, b):\n    return ((a - b) ** 2).mean()\n"
                                    "mse = F.mse_loss\n",
    "star import": "from torch.nn.functional import *\ndef mse(a, b):\n    return mse_loss(a, b)\n",
    "other import path": "import torch\ndef mse(a, b):\n"
                         "    return torch.nn.modules.loss.MSELoss()(a, b)\n",
    "other path, from-import": "from torch.nn.modules.loss import MSELoss\n"
                               "def mse(a, b):\n    return MSELoss()(a, b)\n",
    "class method": F + "class Loss:\n    def __call__(self, a, b):\n        return F.mse_loss(a, b)\n"
                    "def mse(a, b):\n    return Loss()(a, b)\n",
    "static method bound at module level": F + "class M:\n    @staticmethod\n    def f(a, b):\n"
                                           "        return F.mse_loss(a, b)\nmse = M.f\n",
    "lambda": F + "mse = lambda a, b: F.mse_loss(a, b)\n",
    "default argument": F + "def mse(a, b, f=F.mse_loss):\n    return f(a, b)\n",
    "decorator": F + "def _swap(fn):\n    return lambda a, b: F.mse_loss(a, b)\n"
                 "@_swap\ndef mse(a, b):\n    return 0.0\n",
    "global in a helper": F + "def mse(a, b):\n    return 0.0\ndef _install():\n"
                          "    global mse\n    mse = F.mse_loss\n_install()\n",
    "constant getattr": F + "def mse(a, b):\n    return getattr(F, 'mse_loss')(a, b)\n",
    "import_module constant": "import importlib\ndef mse(a, b):\n"
                              "    return importlib.import_module('torch.nn.functional').mse_loss(a, b)\n",
    "__import__ constant": "def mse(a, b):\n"
                           "    return __import__('torch').nn.functional.mse_loss(a, b)\n",
    "__name__ set before a main guard": F + "def mse(a, b):\n    return 0.0\n__name__ = '__main__'\n"
                                        "if __name__ == '__main__':\n    mse = F.mse_loss\n",
    "nested function": F + "def mse(a, b):\n    def inner():\n        return F.mse_loss(a, b)\n"
                       "    return inner()\n",
}

# Dynamic access the scan cannot verify: counted as forbidden, with the reason.
DYNAMIC_FORMS = {
    "computed getattr": (F + "def mse(a, b):\n    return getattr(F, 'mse' + '_loss')(a, b)\n",
                         "getattr with a computed name"),
    "computed __import__": ("def mse(a, b):\n    m = 'torch.nn.' + 'functional'\n"
                            "    return __import__(m).mse_loss(a, b)\n", "__import__ of a computed"),
    "computed import_module": ("import importlib\ndef mse(a, b):\n    name = 'torch'\n"
                               "    return importlib.import_module(name).nn.functional.mse_loss(a, b)\n",
                               "importlib.import_module of a computed"),
    "eval": (F + "def mse(a, b):\n    return eval('F.mse' + '_loss')(a, b)\n", "eval runs code"),
    "exec": ("def mse(a, b):\n    scope = {}\n    exec('import torch', scope)\n    return 0\n",
             "exec runs code"),
    "globals()[...]": ("def mse(a, b):\n    return globals()['lo' + 'ss'](a, b)\n", "globals()"),
    "module-level globals() write": (F + "def mse(a, b):\n    return 0.0\n"
                                     "globals()['ms' + 'e'] = F.mse_loss\n", "globals()"),
    "getattr as a value": ("import functools, torch\ndef mse(a, b):\n    f = functools.reduce("
                           "getattr, ['nn', 'functional', 'mse_loss'], torch)\n    return f(a, b)\n",
                           "getattr passed as a value"),
    "aliased getattr": (F + "g = getattr\ndef mse(a, b):\n    return g(F, 'mse' + '_loss')(a, b)\n",
                        "getattr with a computed name"),
    "sys.modules": ("import sys\ndef mse(a, b):\n"
                    "    return sys.modules['torch'].nn.functional.mse_loss(a, b)\n",
                    "sys.modules"),
    "__dict__": (F + "def mse(a, b):\n    return F.__dict__['mse_loss'](a, b)\n", "__dict__"),
}


@pytest.mark.parametrize("form", FORMS)
def test_each_form_of_a_forbidden_call_is_found(form):
    found = forbidden_uses(FORMS[form], FORBIDDEN)["mse"]
    assert found and not any(item.startswith(DYNAMIC) for item in found), found


@pytest.mark.parametrize("form", DYNAMIC_FORMS)
def test_dynamic_access_that_cannot_be_verified_counts_and_says_why(form):
    source, why = DYNAMIC_FORMS[form]
    found = forbidden_uses(source, FORBIDDEN)["mse"]
    assert any(item.startswith(DYNAMIC) and why in item for item in found), found


def test_at_least_fifteen_forms_are_asserted():
    assert len(FORMS) + len(DYNAMIC_FORMS) >= 15


def test_the_other_import_paths_of_an_api_are_its_own_objects():
    assert "torch.nn.modules.loss.MSELoss" in equivalents("torch.nn.MSELoss")
    assert equivalents("not_installed.thing") == {"not_installed.thing"}


def test_forbidden_api_counts_only_for_the_function_that_reaches_it():
    source = (F + "def mse(a, b):\n    return sum((x - y) ** 2 for x, y in zip(a, b)) / len(a)\n"
              "def mae(a, b):\n    return F.mse_loss(a, b)\n")
    assert forbidden_uses(source, FORBIDDEN) == {"mse": [], "mae": []}


def test_a_similar_name_is_not_the_forbidden_one():
    source = "import torch\ndef mse(a, b):\n    return torch.nn.functional.mse_loss_custom(a, b)\n"
    assert forbidden_uses(source, FORBIDDEN)["mse"] == []


def test_allowed_code_is_clean_constant_getattr_included():
    source = ("import numpy as np\nimport torch\n"
              "def mse(a, b):\n    d = getattr(np, 'asarray')(a) - b\n    return float(np.mean(d ** 2))\n"
              "def mae(a, b):\n    return torch.abs(torch.as_tensor(a) - b).mean()\n")
    assert forbidden_uses(source, FORBIDDEN) == {"mse": [], "mae": []}


def test_a_demo_under_the_main_guard_is_not_graded_code():
    source = (F + "def mse(a, b):\n    return ((a - b) ** 2).mean()\n"
              "if __name__ == '__main__':\n    print(eval('mse(1, 2)'))\n    mse = F.mse_loss\n")
    assert forbidden_uses(source, FORBIDDEN)["mse"] == []


def test_a_function_with_nothing_forbidden_is_not_charged_for_dynamic_code():
    source = "def mse(a, b):\n    return eval('0')\n"
    assert forbidden_uses(source, {"mse": []}) == {"mse": []}


def _solutions() -> list[Path]:
    folders = [REPO / "solutions", *sorted((REPO / "tests" / "fixtures" / "variants").glob("*/*"))]
    return [p for folder in folders for p in sorted(folder.rglob("*.py")) if p.stem != "__init__"]


@pytest.mark.parametrize("path", _solutions(), ids=lambda p: str(p.relative_to(REPO)))
def test_correct_solutions_have_no_false_positive(path):
    course = load_course(REPO)
    module = path.stem
    assignment = next((a for a in course.assignments if a.module == module), None)
    if assignment is None:
        pytest.skip(f"{path.name} is no assignment module")
    assert forbidden_uses(path.read_text(), assignment.forbidden) == \
        {function: [] for function in assignment.forbidden}


def test_the_scan_reads_each_node_once_so_it_is_linear_in_the_source(monkeypatch):
    # Counting, not timing: _dotted walks a chain; the scan must call it per chain, not per link.
    calls = []
    original = scan_module._Scan._dotted

    def counting(self, node):
        calls.append(node)
        return original(self, node)

    monkeypatch.setattr(scan_module._Scan, "_dotted", counting)
    chain = "x = torch" + ".a" * 2000 + "\n"
    source = "import torch\n" + chain * 10 + "def mse(a, b):\n    return 0.0\n"
    forbidden_uses(source, FORBIDDEN)
    links = sum(isinstance(n, ast.Attribute) for n in ast.walk(ast.parse(source)))
    walked = 0
    for node in calls:
        while isinstance(node, ast.Attribute):
            walked, node = walked + 1, node.value
    assert walked <= 3 * links  # a quadratic scan walks ~links * 1000 here


def test_missing_calls_follows_helpers_and_reports_what_is_never_called():
    source = (
        "def perceptron(x, w, theta):\n    return 1\n"
        "def _layer(a, b):\n    return perceptron([a, b], [1, 1], 0)\n"
        "def xor_gate(x1, x2):\n    return _layer(x1, x2)\n"
        "def xor_direct(x1, x2):\n    return int(x1 != x2)\n")
    found = missing_calls(source, {"xor_gate": ["perceptron"], "xor_direct": ["perceptron"],
                                   "undefined": ["perceptron"]})
    assert found == {"xor_gate": [], "xor_direct": ["perceptron"], "undefined": ["perceptron"]}


@pytest.mark.parametrize("source, missing", [
    ("def perceptron(x, w, t):\n    return int(x @ w > t)\n"
     "def xor_gate(a, b):\n    return int(a != b)\n", ["perceptron"]),
    ("def perceptron(x, w, t):\n    return int(x @ w > t)\n"
     "def _layer(x):\n    return perceptron(x, 1, 0)\n"
     "def xor_gate(a, b):\n    return _layer([a, b])\n", []),
    ("def xor_gate(a, b):\n    return a ^ b\n", ["perceptron"]),
])
def test_required_calls_are_found_directly_or_through_helpers(source, missing):
    assert missing_calls(source, {"xor_gate": ["perceptron"]}) == {"xor_gate": missing}
