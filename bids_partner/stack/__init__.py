"""Starts and stops the whole assistant: model, action server, Rasa server, web page."""
