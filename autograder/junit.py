"""JUnit XML for CI systems: a testsuite per student and assignment, a testcase per test."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from autograder.results import read_results, write_atomic
from autograder.scoring import status_of


def write_junit(path: Path, out: Path, students: list[str], slugs: list[str]) -> None:
    suites = ET.Element("testsuites")
    for student in students:
        for slug in slugs:
            results = read_results(out, student, slug) or {"tests": []}
            missing = status_of(results) == "not_submitted"  # not failures: one skipped case
            tests = [] if missing else results["tests"]
            suite = ET.SubElement(suites, "testsuite", name=f"{student}.{slug}",
                                  tests=str(len(tests) + missing), skipped=str(int(missing)),
                                  failures=str(sum(t["status"] == "failed" for t in tests)))
            if missing:
                case = ET.SubElement(suite, "testcase", classname=f"{student}.{slug}",
                                     name="not submitted")
                ET.SubElement(case, "skipped", message=str(results.get("output", ""))[:200])
            for test in tests:
                case = ET.SubElement(suite, "testcase", classname=f"{student}.{slug}",
                                     name=test["name"], time=str(test.get("execution_time", 0)))
                if test["status"] == "failed":
                    ET.SubElement(case, "failure", message=test["output"][:200]).text = test["output"]
    write_atomic(path, ET.tostring(suites, encoding="unicode"))
