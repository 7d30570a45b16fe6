"""Dialogue policies of our own, beside Rasa's."""
