"""Rasa's own `rasa` command with the Rasa patches applied before anything else,
for a bot that does not load this project's plug-ins (the benchmark's patched
stock bot):

    python -m bids_partner.patches run --model ... (any `rasa` arguments)
"""

from __future__ import annotations

from bids_partner.patches import apply_rasa_patches


def main() -> None:
    apply_rasa_patches()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
