"""Crash safety: SIGKILL in the middle of a burst of coding actions loses no acknowledged action.

A child process codes passages as fast as it can and prints the id of each segment after its
transaction has committed (the acknowledgement a user sees). The parent kills it with SIGKILL
mid-burst; every acknowledged segment must be in the database and SQLite's integrity check passes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from thematica.corpus.importer import store_text
from thematica.store.project import open_project

CHILD = r"""
import sys
from thematica.coding.segments import apply_code
from thematica.store.project import open_project
project = open_project(sys.argv[1])
for number in range(100000):
    start = number % 900
    info = apply_code(project, 1, "anouk", start, start + 1 + number % 50, code_path=f"Code {number % 7}")
    print(info.id, flush=True)
"""


def test_sigkill_mid_burst_keeps_every_acknowledged_action(tmp_path):
    path = tmp_path / "crash.thematica"
    with open_project(path, create=True) as project:
        store_text(project, "R1", "R: " + "ik voel me veilig in de groep. " * 40)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    acknowledged: list[int] = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 300 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert len(acknowledged) >= 300, "the child did not get far enough to be killed mid-burst"
    connection = sqlite3.connect(path)
    stored = {row[0] for row in connection.execute("SELECT id FROM segment")}
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    assert set(acknowledged) <= stored
