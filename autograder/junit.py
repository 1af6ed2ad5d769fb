"""JUnit XML for CI systems: a testsuite per student and assignment, a testcase per test."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from autograder.results import read_results, write_atomic


def write_junit(path: Path, out: Path, students: list[str], slugs: list[str]) -> None:
    suites = ET.Element("testsuites")
    for student in students:
        for slug in slugs:
            results = read_results(out, student, slug) or {"tests": []}
            tests = results["tests"]
            suite = ET.SubElement(suites, "testsuite", name=f"{student}.{slug}",
                                  tests=str(len(tests)),
                                  failures=str(sum(t["status"] == "failed" for t in tests)))
            for test in tests:
                case = ET.SubElement(suite, "testcase", classname=f"{student}.{slug}",
                                     name=test["name"], time=str(test.get("execution_time", 0)))
                if test["status"] == "failed":
                    ET.SubElement(case, "failure", message=test["output"][:200]).text = test["output"]
    write_atomic(path, ET.tostring(suites, encoding="unicode"))
