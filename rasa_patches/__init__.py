"""Changes to Rasa 3.6 internals, applied by `assistant_stack.rasa_server`.

- action_result_schema, event_types: the same results and errors as Rasa's, without
  work that a profile of the server under load showed repeated on every turn
  (measured by `make bench-reference`: its before/after table);
- action_server_outage: a reply, instead of silence, when a custom action fails.
"""

from __future__ import annotations

from rasa_patches import action_result_schema, action_server_outage, event_types

PATCHES = (action_result_schema, event_types, action_server_outage)


def apply() -> None:
    """Installs every patch; safe to call more than once."""
    for patch in PATCHES:
        patch.apply()
