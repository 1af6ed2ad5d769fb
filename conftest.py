# The grading plugin (the `sub` fixture, the `grades` marker): loaded for every test run here.
pytest_plugins = ["autograder.plugin.hooks"]
