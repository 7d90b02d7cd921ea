"""Password hashing: Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's default asks 100 MiB and 8 lanes per hash; with eight logins at once in one worker
(the whole team arriving at the start of a meeting) that took a worker past 600 MB. The
parameters are stored in each hash, so older hashes are redone at their next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CrisisroomArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
