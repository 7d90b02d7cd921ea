"""Password hashing: Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's default asks 100 MiB and 8 lanes per hash; with eight logins at once in one worker
(the whole team arriving at the start of a meeting) that took a worker past 600 MB. The
parameters are stored in each hash, so older hashes are redone at their next login.
"""

import threading

from django.contrib.auth.hashers import Argon2PasswordHasher

# At most two hashes at a time per process: the whole team logging in at once queues for
# milliseconds instead of taking a worker's memory up by 19 MiB per login.
_HASHING = threading.BoundedSemaphore(2)


class CrisisroomArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def encode(self, password, salt):
        with _HASHING:
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with _HASHING:
            return super().verify(password, encoded)
