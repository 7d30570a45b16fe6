"""Environment for Rasa processes: quieter TensorFlow, no telemetry to a network
we do not have, no deprecation noise from pinned dependencies."""

QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}
