"""Custom actions served by the rasa_sdk action server (`rasa run actions`)."""

from coaching_content import load_all

# A broken content file stops the action server at start with a clear message,
# instead of failing in the middle of someone's conversation.
load_all()
