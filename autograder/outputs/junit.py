"""JUnit XML for CI systems: a testsuite per student and assignment, a testcase per test.

Every text in it is made valid XML 1.0 here (clean_text: controls, lone surrogates and
noncharacters become visible escapes), whatever a results file holds.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from autograder.outputs.store import read_results, write_atomic
from autograder.sanitize import FEEDBACK_LIMIT, clean_text


def write_junit(path: Path, out: Path, students: list[str], slugs: list[str]) -> None:
    suites = ET.Element("testsuites")
    for student in students:
        for slug in slugs:
            result = read_results(out, student, slug)
            missing = result is not None and result.status == "not_submitted"  # one skipped case
            tests = result.tests if result is not None and not missing else ()
            name = clean_text(f"{student}.{slug}", 1000)
            suite = ET.SubElement(suites, "testsuite", name=name,
                                  tests=str(len(tests) + missing), skipped=str(int(missing)),
                                  failures=str(sum(not t.passed for t in tests)))
            if missing and result is not None:
                case = ET.SubElement(suite, "testcase", classname=name, name="not submitted")
                ET.SubElement(case, "skipped", message=clean_text(result.output, 200))
            for test in tests:
                case = ET.SubElement(suite, "testcase", classname=name,
                                     name=clean_text(test.name, 1000), time=str(test.seconds))
                if not test.passed:
                    output = clean_text(test.output, FEEDBACK_LIMIT)
                    ET.SubElement(case, "failure", message=output[:200]).text = output
    write_atomic(path, ET.tostring(suites, encoding="unicode"))
