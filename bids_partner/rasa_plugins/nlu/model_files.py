"""Saving and loading the project's trained NLU objects with skops, which refuses
to build any type it was not told to trust: a model file holding anything but the
types our components write is refused, and a model that cannot be loaded stops
the server (a server without its classifier would answer everything wrongly)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Tuple

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import RasaException


class ModelFileError(RasaException):
    """A trained file is missing, corrupt or holds unexpected types."""


def save(model_storage: ModelStorage, resource: Resource, name: str, obj: Any) -> None:
    import skops.io as sio

    with model_storage.write_to(resource) as folder:
        sio.dump(obj, Path(folder) / name)


def load(
    model_storage: ModelStorage,
    resource: Resource,
    name: str,
    expected_prefixes: Tuple[str, ...],
    owner: str,
) -> Any:
    """The object saved as `name`, if it holds only types under `expected_prefixes`."""
    import skops.io as sio

    try:
        with model_storage.read_from(resource) as folder:
            path = Path(folder) / name
            untrusted = sio.get_untrusted_types(file=path)
            unexpected = [t for t in untrusted if not t.startswith(expected_prefixes)]
            if unexpected:
                raise ModelFileError(
                    f"{name} holds types {owner} never writes "
                    f"({', '.join(unexpected)}): refusing to load it."
                )
            return sio.load(path, trusted=untrusted)
    except ModelFileError:
        raise
    except Exception as error:
        raise ModelFileError(
            f"The trained {owner} could not be loaded "
            f"({type(error).__name__}: {error}); retrain the model."
        ) from error


def folders_digest(*folders: Path) -> str:
    """sha256 over the names and bytes of the YAML files in `folders`: for the
    fingerprint_addon of a component that reads its data from disk, not from
    Rasa's training data, so that a change to the files retrains it."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.glob("*.yml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
