"""course.yml: the course definition, validated with pydantic."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class RequiredCalls(BaseModel):
    """A function that must be built from others (spec: "must be built from X")."""

    model_config = ConfigDict(extra="forbid")

    calls: list[str]   # names it must call, directly or through a module-level helper
    test: str          # the one test that is lost when a call is missing
    hint: str          # the hint id of that failure


class Deadline(BaseModel):
    """When an assignment is due and what lateness costs (see docs/semester.md).

    The penalty is a percentage of the assignment's maximum score per started day or hour
    after the due time, capped; a submission within the grace period counts as on time.
    """

    model_config = ConfigDict(extra="forbid")

    due: AwareDatetime  # ISO 8601 with its UTC offset: 2026-10-05T23:59:00+09:00
    penalty: float = Field(ge=0, le=100)  # percent of max_score per period late
    per: Literal["day", "hour"] = "day"
    cap: float = Field(default=100, ge=0, le=100)  # at most this percent is taken
    grace: timedelta = timedelta(0)  # ISO 8601 duration ("PT15M") or seconds


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
    title: str
    module: str
    time_limit: float | None = None
    budget: float | None = None  # seconds for one submission of this assignment (course default)
    forbidden: dict[str, list[str]] = Field(default_factory=dict)
    required: dict[str, RequiredCalls] = Field(default_factory=dict)  # function -> its calls
    # function -> the functions and classes of the same module it uses (assignments.md
    # "Uses:"): its tests run with the reference behaviour of those (autograder/plugin/uses.py)
    uses: dict[str, list[str]] = Field(default_factory=dict)
    tests: dict[str, float] = Field(default_factory=dict)  # test function name -> points
    deadline: Deadline | None = None
    canvas_id: int | None = None  # the Canvas assignment id, for `autograder export canvas`
    # function -> points of its hidden tests: only in the student bundle's course.yml, which
    # names no hidden test (a course repository has the hidden suites to count them from)
    hidden_points: dict[str, float] = Field(default_factory=dict)

    @property
    def max_score(self) -> float:
        return sum(self.tests.values())


class Limits(BaseModel):
    """Overrides of sandbox.Limits (docs/isolation.md): sizes in MiB, the rest as named there."""

    model_config = ConfigDict(extra="forbid")

    memory_mb: float | None = Field(None, gt=0)       # address space of each process
    processes: int | None = Field(None, gt=0)         # processes per slot uid
    cpu_seconds: int | None = Field(None, gt=0)
    slot_memory_mb: float | None = Field(None, gt=0)  # the slot's cgroup
    slot_tasks: int | None = Field(None, gt=0)
    slot_cpus: float | None = Field(None, gt=0)

    def given(self) -> dict[str, float]:
        return self.model_dump(exclude_none=True)


class Course(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    time_limit: float = 10.0
    # seconds one submission of one assignment may spend in its calls and loads: about 35x
    # what the reference solutions take on the slowest assignment (docs/isolation.md)
    budget: float = 30.0
    # without pydantic's mypy plugin, Field's overloads cannot take a model class as its factory
    limits: Limits = Field(default_factory=Limits)  # type: ignore[arg-type]
    assignments: list[Assignment]

    def assignment(self, slug: str) -> Assignment:
        for assignment in self.assignments:
            if assignment.slug == slug:
                return assignment
        raise KeyError(f"no assignment {slug!r} in course.yml "
                       f"(known: {', '.join(a.slug for a in self.assignments)})")

    def time_limit_of(self, slug: str) -> float:
        return self.assignment(slug).time_limit or self.time_limit

    def budget_of(self, slug: str) -> float:
        return self.assignment(slug).budget or self.budget


def load_course(root: Path) -> Course:
    """The course.yml of the course in `root` (find the course with autograder.course.layout.Layout)."""
    with open(root / "course.yml", encoding="utf-8") as f:
        return Course.model_validate(yaml.safe_load(f))
