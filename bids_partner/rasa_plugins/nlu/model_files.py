"""Saving and loading the project's trained NLU objects with skops, which refuses
to build any type it was not told to trust: a model file holding anything but the
types our components write is refused, and a model that cannot be loaded stops
the server (a server without its classifier would answer everything wrongly)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import json
from pathlib import Path
from typing import Any, Tuple

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import RasaException

# For the fingerprint_addon of a component, so that a change to how it learns
# retrains it (a classifier trained by the previous code was once restored from
# Rasa's cache).
from bids_partner.fingerprints import code_digest  # noqa: F401


class ModelFileError(RasaException):
    """A trained file is missing, corrupt or holds unexpected types."""


def save(model_storage: ModelStorage, resource: Resource, name: str, obj: Any) -> None:
    import skops.io as sio

    with model_storage.write_to(resource) as folder:
        path = Path(folder) / name
        sio.dump(obj, path)
        # The types it holds, listed once here: loading then reads the file once
        # (skops' own check of the types is a second full read, ~45% of the load).
        types_file(path).write_text(json.dumps(sio.get_untrusted_types(file=path)))


def types_file(path: Path) -> Path:
    return path.with_name(path.name + ".types.json")


def foreign_types(name: str, owner: str, types: str) -> str:
    return f"{name} holds types {owner} never writes ({types}): refusing to load it."


def load(
    model_storage: ModelStorage,
    resource: Resource,
    name: str,
    expected_prefixes: Tuple[str, ...],
    owner: str,
) -> Any:
    """The object saved as `name`, if it holds only types under `expected_prefixes`."""
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        with model_storage.read_from(resource) as folder:
            path = Path(folder) / name
            listed = types_file(path)
            # Without the list (a model saved before it existed), skops lists them.
            untrusted = (
                json.loads(listed.read_text())
                if listed.exists()
                else sio.get_untrusted_types(file=path)
            )
            unexpected = [t for t in untrusted if not t.startswith(expected_prefixes)]
            if unexpected:
                raise ModelFileError(foreign_types(name, owner, ", ".join(unexpected)))
            # skops refuses any type in the file that is not in `trusted`.
            loaded = sio.load(path, trusted=untrusted)
        give_back_freed_memory()
        return loaded
    except ModelFileError:
        raise
    except UntrustedTypesFoundException as error:
        raise ModelFileError(foreign_types(name, owner, str(error))) from error
    except Exception as error:
        raise ModelFileError(
            f"The trained {owner} could not be loaded "
            f"({type(error).__name__}: {error}); retrain the model."
        ) from error


def give_back_freed_memory() -> None:
    """Returns the heap freed so far to the system. Reading a skops file peaks at
    about eight times the object it builds (274 MiB for the risk classifier's
    31 MiB), and glibc keeps what was freed: the server's resident memory stayed
    that much higher (`make bench-reference`). No-op where libc has no malloc_trim."""
    gc.collect()
    try:
        name = ctypes.util.find_library("c")
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return
    if trim is not None:
        trim(0)


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
