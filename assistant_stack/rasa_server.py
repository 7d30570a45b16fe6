"""Rasa's own `rasa` command, with the speed fixes in `rasa_patches` applied.

python -m assistant_stack.rasa_server run --model ... (any `rasa` arguments)
"""

from __future__ import annotations

import rasa_patches


def main() -> None:
    rasa_patches.apply()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
