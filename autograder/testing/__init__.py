"""The suite author's library: what graded tests use to judge a value and to name the likely
mistake, so that a test file reads as the specification of its functions.

    data.py       how a value is read (as_array, shape_of, close) and written (show)
    failures.py   GradedFailure, fail, Mistake, which_mistake (a hint only on evidence)
    calls.py      the call feedback names: the suite's `call=`, else the last call recorded
    values.py     check_value, check_shape, check_exact_shape, check_dict
    results.py    as_tuple, fit_result, rescaled_lr (results made of parts)
    inputs.py     fn (a callable built in the worker), unchanged (inputs not modified)
    errors.py     expect_error (a call that must raise)
    gradients.py  numeric_grad, rel_error, check_gradient, torch_grads, gradcheck

Receives: values the proxy returned and its record of the last call (`sub.last_call`).
Gives: nothing but a pass or a `GradedFailure` (message, hint id, a hidden test's summary).
May import: the course's messages, isolation's remote/proxy types, the wire's data types;
never student code.
"""

from autograder.testing.calls import described, follow, last_call
from autograder.testing.data import as_array, close, shape_of, show
from autograder.testing.errors import expect_error
from autograder.testing.failures import GradedFailure, Mistake, fail, which_mistake
from autograder.testing.gradients import (
    REL_ERROR,
    check_gradient,
    gradcheck,
    numeric_grad,
    rel_error,
    torch_grads,
)
from autograder.testing.inputs import fn, unchanged
from autograder.testing.results import as_tuple, fit_result, rescaled_lr
from autograder.testing.values import check_dict, check_exact_shape, check_shape, check_value

__all__ = ["REL_ERROR", "GradedFailure", "Mistake", "as_array", "as_tuple", "check_dict",
           "check_exact_shape", "check_gradient", "check_shape", "check_value", "close",
           "described", "expect_error", "fail", "fit_result", "fn", "follow", "gradcheck",
           "last_call", "numeric_grad", "rel_error", "rescaled_lr", "shape_of", "show",
           "torch_grads", "unchanged", "which_mistake"]
