"""course.yml: the course definition, validated with pydantic."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(os.environ.get("AUTOGRADER_ROOT", Path(__file__).parent.parent)).resolve()


class RequiredCalls(BaseModel):
    """A function that must be built from others (spec: "must be built from X")."""

    model_config = ConfigDict(extra="forbid")

    calls: list[str]   # names it must call, directly or through a module-level helper
    test: str          # the one test that is lost when a call is missing
    hint: str          # the hint id of that failure


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
    title: str
    module: str
    time_limit: float | None = None
    budget: float | None = None  # seconds for one submission of this assignment (course default)
    forbidden: dict[str, list[str]] = Field(default_factory=dict)
    required: dict[str, RequiredCalls] = Field(default_factory=dict)  # function -> its calls
    tests: dict[str, float] = Field(default_factory=dict)  # test function name -> points

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
    limits: Limits = Field(default_factory=Limits)
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


def load_course(root: Path = ROOT) -> Course:
    with open(root / "course.yml", encoding="utf-8") as f:
        return Course.model_validate(yaml.safe_load(f))
