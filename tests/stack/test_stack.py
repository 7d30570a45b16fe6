from bids_partner.stack.model import training_fingerprint
from bids_partner.stack.stack import http_api_arguments


def test_http_api_is_off_without_a_secret() -> None:
    assert http_api_arguments({}) == []


def test_http_api_with_token() -> None:
    assert http_api_arguments({"RASA_API_TOKEN": "t0k"}) == [
        "--enable-api",
        "--auth-token",
        "t0k",
    ]


def test_http_api_with_jwt_secret_takes_precedence() -> None:
    args = http_api_arguments({"RASA_API_TOKEN": "t", "RASA_JWT_SECRET": "s"})
    assert args[:3] == ["--enable-api", "--jwt-secret", "s"]


def test_fingerprint_is_stable() -> None:
    assert training_fingerprint() == training_fingerprint()
