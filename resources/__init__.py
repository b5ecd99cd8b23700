"""Icons, the .desktop launcher and the AppStream metainfo, shipped as ``boundaries.resources``.

The folder sits at the top of the repository (where packagers look for it); pyproject.toml maps
it into the package, so the wheel, the sdist, an editable install and the PyInstaller build all
read it with ``importlib.resources.files("boundaries.resources")``.
"""
