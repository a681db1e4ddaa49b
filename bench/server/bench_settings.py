"""Settings for the benchmark server: the product's, plus one bare endpoint."""

from qingqian.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}
