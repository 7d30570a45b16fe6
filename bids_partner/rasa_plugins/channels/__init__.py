"""Input channels that check what arrives before Rasa sees it."""
