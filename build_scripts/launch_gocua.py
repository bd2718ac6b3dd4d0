"""Entry point of the frozen app (PyInstaller): the same ``gocua`` command as the wheel's."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
