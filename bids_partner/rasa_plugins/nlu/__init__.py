"""spaCy pipeline and Rasa NLU components that recognise relational moves."""
