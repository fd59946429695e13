#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiwatch.settings")
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, InterfaceError):
        if "--traceback" in sys.argv:
            raise
        # A command run while the database is down or misnamed: one line saying why, not a
        # traceback (`--traceback` shows it). Any other database error (a timeout, a full
        # disk, a bug) keeps its traceback.
        from aiwatch.core.postgresql.base import unreachable_database

        if reason := unreachable_database():
            sys.exit(f"CommandError: {reason}")
        raise


if __name__ == "__main__":
    main()
