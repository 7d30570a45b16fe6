"""A message's all-MiniLM-L6-v2 embedding, computed once per message.

The encoder takes about 25 ms a message. The RiskReader encodes every message;
it leaves the embedding on the message (not in the parse data's output, and not
in the encoder's cache), so a later component that needs it reads it there
instead of encoding the text a second time.
"""

from __future__ import annotations

import numpy as np
from rasa.shared.nlu.training_data.message import Message

from bids_partner.language.text_features import embed

# Private to the NLU graph: never added to the parse data's output.
EMBEDDING_KEY = "text_sentence_embedding"


def keep(message: Message, vector: np.ndarray) -> None:
    """Leaves the embedding of the message's text on the message."""
    message.set(EMBEDDING_KEY, vector)


def message_embedding(message: Message, text: str) -> np.ndarray:
    """The embedding of `text`, the message's text: the one left on the message
    by an earlier component, or computed now (and left there)."""
    vector = message.get(EMBEDDING_KEY)
    if vector is None:
        vector = embed([text], remember=False)[0]
        keep(message, vector)
    return vector
