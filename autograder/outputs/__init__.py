"""Outputs: what grading leaves in OUT, and the one reader of it.

Receives: `AssignmentResult`s from scoring (through the plugin) and OUT/late.json.
Gives: the results files (`store`: written atomically, serialised to the Gradescope schema
there and read back there only, `read_results`/`load_result`), OUT/gradebook.csv (`gradebook`:
its writer and its one reader), each student's feedback.md and the check table (`feedback`),
JUnit XML (`junit`), the class report (`class_report`) and the similarity report
(`similarity`). Every output reads typed results and scores, never another output's text.
May import: autograder.scoring, autograder.course, autograder.sanitize (and intake, for the
similarity report's reading of submissions); never the plugin, the isolation client or the
worker.
"""
