"""Building what students get from solutions/: stubs, notebooks, the student bundle."""
