"""Ending the live server without leaving connections to the test database behind.

Django closes its connection pool before dropping the test database, but a connection
still checked out by a live-server request thread (a request in flight when the browser
closed: an autosave, a progress poll) is not in the pool and stays open, and DROP
DATABASE then fails with "being accessed by other users". After the server stops, its
request threads get a moment to finish; what remains attached to this throwaway test
database is then terminated, and waited for: pg_terminate_backend only signals, and on a
loaded machine the backend can still be listed (and still block DROP DATABASE) for a while.
Only client backends count; an autovacuum worker on the database is PostgreSQL's own.
"""

import threading
import time

from django.db import connections


def other_backends(connection) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


# How long to wait for a signalled backend to exit (PostgreSQL 14+ waits in
# pg_terminate_backend itself when given a timeout).
EXIT_TIMEOUT_MS = 10_000


def close_live_server_connections(*, grace: float = 10.0) -> list[int]:
    """Close the pools and every other backend on the test database; returns the pids
    that had to be terminated (those of request threads that never finished)."""
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.daemon and thread.name.startswith("Thread-"):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
    terminated = []
    for connection in connections.all():
        if connection.vendor != "postgresql":
            continue
        connection.close()
        connection.close_pool()
        while (pids := other_backends(connection)) and time.monotonic() < deadline:
            time.sleep(0.2)
        with connection.cursor() as cursor:
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s, %s)", [pid, EXIT_TIMEOUT_MS])
                terminated.append(pid)
        connection.close()
        connection.close_pool()
    return terminated
