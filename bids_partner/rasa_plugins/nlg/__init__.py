"""How the Rasa server fills its responses (endpoints.yml, nlg)."""
