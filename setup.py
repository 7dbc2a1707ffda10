"""Build step: the wheel carries the top-level ``schemas/`` and ``wsdl/`` folders.

Everything else about the package is declared in setup.cfg. The two folders
stay at the top of the repository, where the design names them; building
copies their files to ``bipro/schemas/`` and ``bipro/wsdl/`` inside the wheel,
where ``bipro.resources`` finds them. An editable install reads the checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TOP_LEVEL_FOLDERS = ("schemas", "wsdl")


class BuildWithTopLevelFolders(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder in TOP_LEVEL_FOLDERS:
            target = Path(self.build_lib, "bipro", folder)
            shutil.rmtree(target, ignore_errors=True)  # a file renamed since the last build must not linger
            self.mkpath(str(target))
            for source in sorted(Path(folder).iterdir()):
                if source.is_file() and not source.name.startswith("."):
                    self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildWithTopLevelFolders})
