import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    # CI draws the same examples on every run (a failure there is a change, not a dice roll);
    # local runs draw new ones and keep the failures they find in .hypothesis/.
    "ci", max_examples=100, deadline=None, print_blob=True, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
