"""Starts `rasa run` with the HTTP API's secret read from the environment, so the
secret never stands in the process's command line: /proc/PID/cmdline is readable
by every user of the machine, /proc/PID/environ only by the process's owner.

    python -m bids_partner.stack.rasa_server run --model ... (Rasa's own arguments)
"""

from __future__ import annotations

import os
import sys
from typing import List, Mapping


def http_api_arguments(env: Mapping[str, str]) -> List[str]:
    """Rasa's HTTP API only with a secret: a token (RASA_API_TOKEN) or a JWT key."""
    if env.get("RASA_JWT_SECRET"):
        return [
            "--enable-api",
            "--jwt-secret",
            env["RASA_JWT_SECRET"],
            "--jwt-method",
            env.get("RASA_JWT_METHOD", "HS256"),
        ]
    if env.get("RASA_API_TOKEN"):
        return ["--enable-api", "--auth-token", env["RASA_API_TOKEN"]]
    return []


def run_rasa_command(arguments: List[str]) -> None:
    """Rasa's own command line, in this process, so a server starts (logging,
    telemetry off, the options) exactly as `rasa <arguments>` would. Rasa parses
    sys.argv; setting it here does not change /proc/PID/cmdline."""
    sys.argv = ["rasa", *arguments]
    from rasa.__main__ import main as rasa_main

    rasa_main()


def main(arguments: List[str]) -> None:
    # skops.io (which loads the trained classifiers) lists its trusted types at
    # import by searching every loaded module for each NumPy and SciPy ufunc:
    # after Rasa and TensorFlow (5,600 modules) that took about 6 s of start-up,
    # before them about 1 s.
    import skops.io  # noqa: F401

    run_rasa_command([*arguments, *http_api_arguments(os.environ)])


if __name__ == "__main__":
    main(sys.argv[1:])
