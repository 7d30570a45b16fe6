"""Where conversations and conversation locks are kept, chosen by environment."""
