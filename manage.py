#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiwatch.settings")
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, InterfaceError) as exc:
        if "--traceback" in sys.argv:
            raise
        # A command run while the database is down or misnamed: one line saying why, not a
        # traceback (`--traceback` shows it).
        from aiwatch.core.postgresql.base import explain_database_error

        sys.exit(f"CommandError: {explain_database_error(exc)}")


if __name__ == "__main__":
    main()
