"""The one place that finds the files the gateway reads at run time.

``schemas/`` (our XSDs) and ``wsdl/`` (the published WSDLs) sit at the top of
the repository; the wheel carries them inside the package as ``bipro/schemas``
and ``bipro/wsdl`` (see setup.py). Files that belong to a package travel with
it and are found relative to it the same way: the Alembic migrations in
``store/migrations`` (store.migrate), templates and static files in ``portal/``
(Flask). An installed wheel is always unpacked, so every folder is a real path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_folder(package: str, name: str) -> Path:
    """The folder *name* inside *package*, as a file-system path."""
    folder = files(package) / name
    if not isinstance(folder, Path):  # a zipped package: nothing here reads from zips
        raise FileNotFoundError(f"{package}/{name} is not a folder on disk")
    return folder


def top_level_folder(name: str) -> Path:
    """``schemas`` or ``wsdl``: inside the installed package, else at the top of the checkout."""
    packaged = package_folder("bipro", name)
    if packaged.is_dir():
        return packaged
    checkout = packaged.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"folder {name!r} is neither in the bipro package nor in the checkout")


def schema_folder() -> Path:
    return top_level_folder("schemas")


def wsdl_folder() -> Path:
    return top_level_folder("wsdl")
