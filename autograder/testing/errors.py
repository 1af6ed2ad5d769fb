"""Expected errors: a call that must raise (e.g. ValueError for shapes that do not match,
형태가 맞지 않으면 ValueError), judged in the engine's words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograder.course.messages import text
from autograder.isolation.remote import (
    CallSkipped,
    CallTimeout,
    StudentError,
    SubmissionUnavailable,
    WorkerCrashed,
    builtin_type,
    student_traceback,
)
from autograder.testing.calls import described
from autograder.testing.data import show
from autograder.testing.failures import Mistake, fail, which_mistake

__all__ = ["expect_error"]

# Not the student's answer to this call: the plugin reports them as it does for any test.
_NOT_AN_ANSWER = (CallTimeout, CallSkipped, WorkerCrashed, SubmissionUnavailable)


def expect_error(error: type[Exception], func: Callable[..., Any], *args: Any,
                 call: str | None = None, why: str | None = None,
                 mistakes: Sequence[Mistake] = (), **kwargs: Any) -> None:
    """Pass when `func(*args, **kwargs)` raises `error`.

    Else fail: a returned value names the mistake of `mistakes` that gives it on `args`; an
    exception of another type is shown with its traceback (a hidden test says only its
    builtin type, as for any exception). A stub's NotImplementedError and the grader's own
    stops (time out, crash, no submission) go to the plugin as in any test. `why` says which
    rule the call breaks.
    """
    expected = f"{error.__name__} ({why})" if why else error.__name__
    try:
        got = func(*args, **kwargs)
    except error:
        return
    except StudentError as exc:
        if isinstance(exc, _NOT_AN_ANSWER) or exc.type_name == "NotImplementedError":
            raise
        trace = student_traceback(exc.traceback)
        fail(text("raised-instead", call=described(call), type=exc.type_name,
                  message=exc.message, error=expected) + (f"\n{trace}" if trace else ""),
             summary=f"your code raised {builtin_type(exc) or 'an exception of its own class'}")
    fail(text("returned-not-raised", call=described(call), got=show(got, 200), error=expected),
         which_mistake(got, None, args, mistakes))
