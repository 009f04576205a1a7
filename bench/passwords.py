"""How long a sign-in's password check takes: argon2id at OWASP's parameters beside Werkzeug's scrypt
(the previous default), measured side by side in one run, and the strength check's cost.

    python bench/passwords.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import statistics
import time

from factcheck.services.passwords import check_policy, hash_password, verify_password

PASSWORD = "a long unrelated passphrase for the bench"


def _median_ms(action, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the median milliseconds per check for each method, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    results = {}
    for method in ("argon2id", "scrypt"):
        stored = hash_password(PASSWORD, method)
        results[method] = _median_ms(lambda stored=stored: verify_password(stored, PASSWORD), rounds)
        print(f"{method:<9} verify: {results[method]:7.1f} ms (median of {rounds})")
    print(f"argon2id / scrypt: {results['argon2id'] / results['scrypt']:.2f}")
    strength = _median_ms(lambda: check_policy(PASSWORD, related=("a.checker@example.org",)), rounds)
    print(f"strength check (zxcvbn): {strength:7.1f} ms")


if __name__ == "__main__":
    main()
