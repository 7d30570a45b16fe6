"""Rehearsal: the assistant plays the partner in a scenario, the user practises."""
