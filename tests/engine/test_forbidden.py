"""Forbidden APIs are found in the source through any alias, and only where they are used."""

import pytest

from autograder.forbidden import forbidden_uses, missing_calls

FORBIDDEN = {"mse": ["torch.nn.functional.mse_loss", "torch.nn.MSELoss",
                     "sklearn.metrics.mean_squared_error"],
             "mae": ["sklearn.metrics.mean_absolute_error"]}


@pytest.mark.parametrize("source", [
    "import torch.nn.functional as F\ndef mse(a, b):\n    return F.mse_loss(a, b)\n",
    "import torch\ndef mse(a, b):\n    return torch.nn.functional.mse_loss(a, b)\n",
    "from torch.nn import functional as F\ndef mse(a, b):\n    return F.mse_loss(a, b)\n",
    "from torch import nn\ndef mse(a, b):\n    return nn.MSELoss()(a, b)\n",
    "from sklearn.metrics import mean_squared_error as m\ndef mse(a, b):\n    return m(b, a)\n",
    "import torch.nn.functional as F\nloss = F.mse_loss\ndef mse(a, b):\n    return loss(a, b)\n",
    "import torch.nn.functional as F\ndef _helper(a, b):\n    return F.mse_loss(a, b)\n"
    "def mse(a, b):\n    return _helper(a, b)\n",
])
def test_forbidden_call_is_found_through_aliases_and_helpers(source):
    assert forbidden_uses(source, FORBIDDEN)["mse"] != []


def test_forbidden_api_counts_only_for_the_function_that_reaches_it():
    source = ("import torch.nn.functional as F\n"
              "def mse(a, b):\n    return sum((x - y) ** 2 for x, y in zip(a, b)) / len(a)\n"
              "def mae(a, b):\n    return F.mse_loss(a, b)\n")
    assert forbidden_uses(source, FORBIDDEN) == {"mse": [], "mae": []}


def test_a_similar_name_is_not_the_forbidden_one():
    source = "import torch\ndef mse(a, b):\n    return torch.nn.functional.mse_loss_custom(a, b)\n"
    assert forbidden_uses(source, FORBIDDEN)["mse"] == []


def test_allowed_numpy_code_is_clean():
    source = "import numpy as np\ndef mse(a, b):\n    return float(np.mean((np.asarray(a) - b) ** 2))\n"
    assert forbidden_uses(source, FORBIDDEN) == {"mse": [], "mae": []}


def test_missing_calls_follows_helpers_and_reports_what_is_never_called():
    from autograder.forbidden import missing_calls

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
