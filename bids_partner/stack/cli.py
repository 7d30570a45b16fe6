"""`assistant run` starts everything and waits for Ctrl-C; `assistant train` trains;
`assistant model-path` prints the model for the current data; `assistant rasa ...`
runs Rasa's own command line in the project's quiet environment."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from bids_partner.settings import QUIET_ENV, VENV_BIN
from bids_partner.stack.model import ensure_model, model_path
from bids_partner.stack.processes import StartupError, port_in_use
from bids_partner.stack.stack import Stack, StackConfig


def _run(args: argparse.Namespace) -> int:
    busy = [p for p in (args.port, args.action_port, args.web_port) if port_in_use(p)]
    if busy:
        print(
            f"Port(s) {busy} already in use; stop what uses them or pick others "
            "(--port, --action-port, --web-port).",
            file=sys.stderr,
        )
        return 1
    model = ensure_model()
    stack = Stack(
        StackConfig(
            model=model,
            rasa_port=args.port,
            action_port=args.action_port,
            web_port=args.web_port,
        )
    )
    print(
        "Starting the action server, the Rasa server and the web page "
        "(the Rasa server takes a minute or two to load)...",
        flush=True,
    )
    # Ctrl-C or a `kill` both end up in the `finally` below (SIGINT is set
    # explicitly: a shell may start background jobs with it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start()
        print(
            f"\nThe assistant is running.\n"
            f"  Chat in your browser:  {stack.config.web_url}\n"
            f"  REST channel:          {stack.config.rasa_url}/webhooks/rest/webhook\n"
            f"  Logs:                  {stack.config.log_dir}\n"
            f"Press Ctrl-C to stop.",
            flush=True,
        )
        while (dead := stack.dead()) is None:
            time.sleep(1)
        print(
            f"The {dead.name} stopped unexpectedly; see {dead.log_path}.",
            file=sys.stderr,
        )
        return 1
    except StartupError as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stack.stop()
        print("Stopped.", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="train if needed, start everything")
    run.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    run.add_argument(
        "--action-port", type=int, default=int(os.environ.get("ACTION_PORT", 5055))
    )
    run.add_argument(
        "--web-port", type=int, default=int(os.environ.get("WEB_PORT", 8080))
    )
    train = commands.add_parser("train", help="train a model if none matches the data")
    train.add_argument("--force", action="store_true")
    commands.add_parser("model-path", help="the model file for the current data")
    rasa = commands.add_parser("rasa", help="Rasa's command line, quietly")
    rasa.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command == "rasa":
        rasa_command = str(VENV_BIN / "rasa")
        os.execve(
            rasa_command, [rasa_command, *args.arguments], {**os.environ, **QUIET_ENV}
        )
    if args.command == "model-path":
        print(model_path())
        sys.exit(0)
    if args.command == "train":
        print(ensure_model(force=args.force))
        sys.exit(0)
    sys.exit(_run(args))


if __name__ == "__main__":
    main()
