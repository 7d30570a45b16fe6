"""Custom actions served by the rasa_sdk action server (`rasa run actions`)."""

from bids_partner.coaching import load_all

# A broken content file stops the action server at start with a clear message,
# instead of failing in the middle of someone's conversation.
load_all()
