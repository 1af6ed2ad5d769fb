"""The course: what a command acts on, before any submission is read.

Receives: a course folder (course.yml, and course/ beside it: the course's hints, words and
helpers). Gives: the validated course definition (config: assignments, points, limits,
forbidden APIs), every path inside the course (layout.Layout), the hint and message
catalogues in English and Korean (catalogue, hints, messages: the engine's own words with the
course's over them), the roster of student folders, and deadlines and late penalties.
May import: the sanitizer (autograder.sanitize), intake (a student folder's module), and the
results store of outputs/ (the deadlines record and the recorded submissions beside it);
never plugin/, isolation/, worker/ or scoring/, which run on top of it.
"""
