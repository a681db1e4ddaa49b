"""The tests' password hasher."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its lowest cost. The tests create and check passwords by the
    thousand (every seeded demo, every sign-in through the form), and the
    production cost (100 MB and some 0.2 s a hash on this machine) was a
    large share of the run. The hashes remain argon2: the algorithm is
    tested (tests/accounts/test_services.py), its cost is not."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
