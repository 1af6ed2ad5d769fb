"""The benchmark: grade a generated class with `autograder grade -j JOBS` and, in the same run,
with (a) a fresh pytest process per submission and assignment, (b) nbgrader autograde on the
same submissions as notebooks, and (c) the floor: the same suites in-process, no isolation.

Prints per-student times, CPU time, peak memory and the ratios, and checks that the methods
give the same scores. (a) and (b) are slow by nature: by default they are measured on the
first students of the class (none of them a hanging one, which would only slow (a) and (b)
down further) and extrapolated per student to the whole class; the output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from autograder.outputs.store import read_results
from bench import LAYOUT, classgen, nbgrader_run
from bench.measure import Measurement, bench_env, measure

TARGETS = {"a": 10.0, "b": 30.0, "c": 1.5}


def machine() -> dict:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    try:
        bwrap = subprocess.run(["bwrap", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        bwrap = "not installed"
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(int(first("/proc/meminfo", "MemTotal").split()[0]) / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "torch": version("torch"), "numpy": version("numpy"), "nbgrader": version("nbgrader"),
        "pytest": version("pytest"), "bwrap": bwrap,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def scores_of(out: Path, students: list[str], slugs: list[str]) -> dict[str, dict[str, float | None]]:
    result: dict[str, dict[str, float | None]] = {}
    for student in students:
        result[student] = {}
        for slug in slugs:
            data = read_results(out, student, slug)
            result[student][slug] = None if data is None else data.score
    return result


def differences(mine: dict, theirs: dict) -> list[str]:
    out = []
    for student, per_slug in theirs.items():
        for slug, score in per_slug.items():
            ours = mine.get(student, {}).get(slug)
            if ours is None or score is None or abs(ours - score) > 1e-6:
                out.append(f"{student}/{slug}: ours {ours}, theirs {score}")
    return out


def run_method(name: str, argv: list[str], work: Path) -> Measurement:
    print(f"  {name} ...", end=" ", flush=True)
    result = measure(argv, work / "logs" / f"{name}.log", cwd=LAYOUT.root)
    print(f"{result.wall:.1f} s wall, {result.cpu:.1f} s CPU, exit {result.returncode}", flush=True)
    if result.returncode != 0:
        print(f"    (see {work / 'logs' / f'{name}.log'})")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=200, help="class size (default 200)")
    p.add_argument("--small", type=int, help="second, smaller class size (default n/2)")
    p.add_argument("-j", "--jobs", type=int, default=2, help="job slots for every method")
    p.add_argument("--subset-a", type=int, default=24,
                   help="students (a) is measured on, then extrapolated (0: the whole class)")
    p.add_argument("--subset-b", type=int, default=10,
                   help="students (b) is measured on, then extrapolated (0: the whole class)")
    p.add_argument("--no-nbgrader", action="store_true", help="skip (b)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--work", default="/tmp/autograder-bench", help="scratch folder")
    p.add_argument("--json", help="also write the numbers here")
    args = p.parse_args(argv)
    n, small, jobs = args.n, args.small or args.n // 2, args.jobs
    work = Path(args.work)
    course = LAYOUT.course()
    slugs = [a.slug for a in course.assignments]
    info = machine()
    print("machine:", json.dumps(info))
    folders, plan = classgen.write_class(work / "class", n, args.seed)
    print(f"class: {n} students x {len(slugs)} assignments = {n * len(slugs)} submissions "
          f"({classgen.describe(plan)}); seed {args.seed}")
    students = [f.name for f in folders]
    py = sys.executable
    runs: dict[str, Measurement] = {}
    scores: dict[str, dict] = {}

    def ours(size: int) -> None:
        out = work / f"ours-{size}"
        shutil.rmtree(out, ignore_errors=True)
        runs[f"ours-{size}"] = run_method(
            f"ours-{size}", [py, "-m", "autograder", "grade", *map(str, folders[:size]),
                             "-j", str(jobs), "-o", str(out)], work)
        scores[f"ours-{size}"] = scores_of(out, students[:size], slugs)

    def floor(size: int) -> None:
        out = work / f"floor-{size}"
        shutil.rmtree(out, ignore_errors=True)
        runs[f"floor-{size}"] = run_method(
            f"floor-{size}", [py, "-m", "bench.drivers", "floor", str(out), str(jobs),
                              ",".join(slugs), *map(str, folders[:size])], work)
        scores[f"floor-{size}"] = scores_of(out, students[:size], slugs)

    warm = subprocess.run([py, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           *(str(LAYOUT.suite_dir(slug)) for slug in slugs), "--ag-backend",
                           "inprocess"], cwd=LAYOUT.root, env=bench_env(), capture_output=True)
    print(f"bytecode caches warmed (collect-only, exit {warm.returncode}; not timed)")
    print("grading:")
    ours(n)
    floor(n)
    if small and small < n:
        ours(small)
        floor(small)

    calm = [f for f, pieces in zip(folders, plan, strict=True) if not classgen.hangs(pieces)]
    subset_a = calm[:args.subset_a] if args.subset_a else folders
    out_a = work / "percall"
    shutil.rmtree(out_a, ignore_errors=True)
    runs["a"] = run_method(f"a-percall-{len(subset_a)}", [
        py, "-m", "bench.drivers", "percall", str(out_a), str(jobs), ",".join(slugs),
        *map(str, subset_a)], work)
    scores["a"] = scores_of(out_a, [f.name for f in subset_a], slugs)

    why_not_b = "--no-nbgrader" if args.no_nbgrader else nbgrader_run.available()
    subset_b = calm[:args.subset_b] if args.subset_b else folders
    if why_not_b is None:
        nb_work = work / "nbgrader"
        print(f"  b: preparing {len(subset_b)} students' notebooks (not timed) ...", flush=True)
        start = time.perf_counter()
        prepared = subprocess.run([py, "-m", "bench.nbgrader_run", "prepare", str(nb_work),
                                   str(jobs), *map(str, subset_b)], cwd=LAYOUT.root)
        print(f"    prepared in {time.perf_counter() - start:.0f} s")
        if prepared.returncode == 0:
            runs["b"] = run_method(f"b-nbgrader-{len(subset_b)}", [
                py, "-m", "bench.nbgrader_run", "autograde", str(nb_work), ",".join(slugs)], work)
            listed = subprocess.run([py, "-m", "bench.nbgrader_run", "scores", str(nb_work)],
                                    cwd=LAYOUT.root, capture_output=True, text=True)
            scores["b"] = json.loads(listed.stdout) if listed.returncode == 0 else {}
        else:
            why_not_b = "preparing the nbgrader course failed"
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    kinds = {(piece.student, piece.slug): piece.kind for pieces in plan for piece in pieces}
    report = summarize(n, small, jobs, slugs, runs, scores, len(subset_a), len(subset_b),
                       why_not_b, info, kinds)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    return 0 if report["scores_agree"] else 1


def summarize(n, small, jobs, slugs, runs, scores, m_a, m_b, why_not_b, info, kinds) -> dict:
    per = len(slugs)
    main = runs[f"ours-{n}"]
    rows = []

    def row(label, measured: Measurement, students: int, note: str = "") -> dict:
        per_student = measured.wall / students
        item = {"method": label, "students_measured": students, **measured.row(),
                "s_per_student": round(per_student, 3),
                "ms_per_submission": round(1000 * per_student / per, 1),
                "class_wall_s": round(per_student * n, 1), "note": note}
        rows.append(item)
        return item

    ours_row = row(f"ours: autograder grade -j {jobs} (sandboxed warm workers)", main, n)
    floor_row = row(f"(c) floor: same suites in-process, no isolation, {jobs} processes",
                    runs[f"floor-{n}"], n)
    a_note = (f"measured on {m_a} students, extrapolated x{n / m_a:.1f}" if m_a < n else "")
    a_row = row(f"(a) fresh pytest per submission and assignment, {jobs} at a time", runs["a"],
                m_a, a_note)
    b_row = None
    if "b" in runs:
        b_note = f"measured on {m_b} students, extrapolated x{n / m_b:.1f}" if m_b < n else ""
        b_row = row(f"(b) nbgrader autograde, {jobs} course copies in parallel", runs["b"], m_b,
                    b_note)
    if f"ours-{small}" in runs:
        row(f"ours, class of {small}", runs[f"ours-{small}"], small)
        row(f"(c) floor, class of {small}", runs[f"floor-{small}"], small)

    ratios = {"a_over_ours": a_row["class_wall_s"] / ours_row["class_wall_s"],
              "ours_over_floor": ours_row["class_wall_s"] / floor_row["class_wall_s"]}
    if b_row:
        ratios["b_over_ours"] = b_row["class_wall_s"] / ours_row["class_wall_s"]
    if f"ours-{small}" in runs:
        ratios["ours_time_growth"] = main.wall / runs[f"ours-{small}"].wall
        ratios["class_size_growth"] = n / small
        ratios["ours_marginal_s_per_student"] = (main.wall - runs[f"ours-{small}"].wall) / (n - small)
        ratios["ours_peak_memory_growth"] = main.peak_pss / max(1, runs[f"ours-{small}"].peak_pss)

    checks = {f"floor-{n}": differences(scores[f"ours-{n}"], scores[f"floor-{n}"]),
              "a": differences(scores[f"ours-{n}"], scores["a"])}
    if f"ours-{small}" in runs:
        checks[f"floor-{small}"] = differences(scores[f"ours-{small}"], scores[f"floor-{small}"])
        checks[f"ours-{small}"] = differences(scores[f"ours-{n}"], scores[f"ours-{small}"])
    b_diff = differences(scores[f"ours-{n}"], scores["b"]) if "b" in scores else []
    # nbgrader runs the notebooks' own test cells (all-or-nothing per function and kind),
    # not the pytest suites: correct and stub work must agree, a mutant may score differently
    b_must_agree = [d for d in b_diff if kinds.get(tuple(d.split(":")[0].split("/"))) in
                    ("correct", "stub")]
    if "b" in scores:
        checks["b (correct and stub submissions)"] = b_must_agree

    print()
    print(f"## Results: class of {n} students x {per} assignments, {jobs} job slots")
    print()
    print("| method | students timed | wall s | s / student | ms / submission | CPU s "
          "| peak memory (tree PSS) | largest process | note |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['method']} | {r['students_measured']} | {r['wall_s']} | {r['s_per_student']} "
              f"| {r['ms_per_submission']} | {r['cpu_s']} | {r['peak_tree_pss_mb']} MB "
              f"| {r['peak_process_rss_mb']} MB | {r['note']} |")
    print()
    met = {"a": ratios["a_over_ours"] >= TARGETS["a"],
           "c": ratios["ours_over_floor"] <= TARGETS["c"]}
    print(f"- (a) / ours: {ratios['a_over_ours']:.1f}x faster (target >= {TARGETS['a']:g}x: "
          f"{'met' if met['a'] else 'MISSED'})")
    if b_row:
        met["b"] = ratios["b_over_ours"] >= TARGETS["b"]
        print(f"- (b) / ours: {ratios['b_over_ours']:.1f}x faster (target >= {TARGETS['b']:g}x: "
              f"{'met' if met['b'] else 'MISSED'})")
    else:
        print(f"- (b) nbgrader: not measured ({why_not_b})")
    print(f"- ours / (c) floor: {ratios['ours_over_floor']:.2f}x (target <= {TARGETS['c']:g}x: "
          f"{'met' if met['c'] else 'MISSED'})")
    if "ours_time_growth" in ratios:
        print(f"- growth: {small} -> {n} students ({ratios['class_size_growth']:.1f}x) took "
              f"{ratios['ours_time_growth']:.2f}x the time; marginal cost "
              f"{ratios['ours_marginal_s_per_student']:.2f} s per student; peak memory "
              f"{ratios['ours_peak_memory_growth']:.2f}x")
    agree = all(not d for d in checks.values())
    for name, diff in checks.items():
        print(f"- scores, ours vs {name}: " + ("identical" if not diff else
                                               f"{len(diff)} DIFFER: {diff[:5]}"))
    if "b" in scores:
        compared = sum(len(v) for v in scores["b"].values())
        mutants = [d for d in b_diff if d not in b_must_agree]
        print(f"- scores, ours vs (b) nbgrader, all submissions: {compared - len(b_diff)} of "
              f"{compared} identical; the {len(mutants)} that differ are mutants (nbgrader's "
              f"notebook test cells are all-or-nothing per function): {mutants[:6]}")
    print(f"- load average at start {info['load_average_at_start']}, "
          f"at end {info['load_average_at_end']}")
    return {"machine": info, "n": n, "small": small, "jobs": jobs, "rows": rows,
            "ratios": ratios, "targets_met": met, "score_differences": checks,
            "nbgrader_differences": b_diff, "scores_agree": agree}
