"""``python -m convert`` is the ``tearsheet`` command."""

from convert.cli import main

main()
