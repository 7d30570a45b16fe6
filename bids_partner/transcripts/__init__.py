"""Anonymized transcripts for therapists: consent, export, review."""
