"""Rasa plug-ins named in config.yml, endpoints.yml and credentials.yml. Importing
any of them applies the project's Rasa patches first (bids_partner.patches), so
every Rasa process that loads this project runs with them."""

from bids_partner.patches import apply_rasa_patches

apply_rasa_patches()
