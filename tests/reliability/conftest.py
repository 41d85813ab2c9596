"""Hypothesis settings for the property tests, in one place.

The `nianbao` profile (default) keeps the suite fast; `HYPOTHESIS_PROFILE=thorough` runs many
more examples for a deliberate search. No deadline: the first example of a test loads spaCy
and jieba, and timings on a shared machine vary.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "nianbao",
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: CI failures reproduce
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "nianbao"))
