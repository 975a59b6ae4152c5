"""Interview data never leaves the machine: a full CLI run makes no network access.

Each command runs in a child interpreter with an audit hook that records every socket event.
Connections, sends, name lookups and binds to anything but loopback are forbidden. One event is
known and allowed: importing urllib3 (pulled in by spaCy) creates a socket and binds it to
``::1`` port 0 to probe IPv6 support; it never connects or sends.
"""

from __future__ import annotations

import json
import subprocess
import sys

HOOK = r"""
import sys, json, atexit
events = []
def hook(name, args):
    if not name.startswith("socket.") or name == "socket.__new__":
        return
    if name == "socket.bind" and args[1][0] in ("::1", "127.0.0.1"):
        return
    events.append(f"{name} {args[1:]!r}")
sys.addaudithook(hook)
def report():
    with open(sys.argv[1], "w") as handle:
        json.dump(events, handle)
atexit.register(report)
from thematica.cli import main
main(sys.argv[2:])
"""


def run_watched(tmp_path, *args: str) -> tuple[int, list[str]]:
    record = tmp_path / "sockets.json"
    result = subprocess.run([sys.executable, "-c", HOOK, str(record), *args], capture_output=True, text=True, timeout=300)
    return result.returncode, json.loads(record.read_text())


def test_a_full_cli_session_opens_no_socket(tmp_path):
    project = str(tmp_path / "demo.thematica")
    transcript = tmp_path / "R1.txt"
    transcript.write_text("I: Hoe was het?\n\nR: Eh, goed. De groep hielp.\n", encoding="utf-8")
    codings = tmp_path / "codings.csv"
    codings.write_text("document,start,end,code,coder,memo\nR1,19,38,Groep,anouk,\n", encoding="utf-8")
    cases = tmp_path / "cases.csv"
    cases.write_text("case,gender,age\nR1,v,34\n", encoding="utf-8")
    commands = [
        ["init", project],
        ["import", project, str(transcript)],
        ["cases", "import", project, str(cases)],
        ["codings", "import", project, str(codings)],
        ["info", project, "--format", "json"],
        ["show", project, "R1", "--units", "sentence"],
        ["codings", "export", project, "--out", str(tmp_path / "out.csv")],
        ["log", project],
        ["backup", project, str(tmp_path / "backup.thematica")],
    ]
    for command in commands:
        code, sockets = run_watched(tmp_path, *command)
        assert code == 0, command
        assert sockets == [], (command, sockets)


def test_the_demo_study_from_agreement_to_report_and_trial_opens_no_socket(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "demo"
    project = str(folder / "dit-demo.thematica")
    raw = tmp_path / "raw.txt"
    raw.write_text("R: Ik sprak met Marieke in Utrecht op 3 maart 2024.\n", encoding="utf-8")
    commands = [
        ["demo", "--no-tui", "--dir", str(folder)],
        ["agreement", project, "--domain", "Ervaren effect", "--format", "json"],
        ["agreement", project, "--method", "unitizing", "--format", "json"],
        ["disagreements", project, "--coders", "anouk,bas", "--out", str(tmp_path / "meeting.docx"), "--format", "docx"],
        ["themes", project, "--format", "json"],
        ["map", project, "--out", str(tmp_path / "map.svg")],
        ["report", project, "--out", str(tmp_path / "report.docx")],
        ["codebook", "export", project, "--format", "qdc", "--out", str(tmp_path / "codebook.qdc")],
        ["export", project, "--out", str(tmp_path / "study.qdpx")],
        ["trial", "analyze", project, "--format", "json"],
        ["trial", "plot", project, "--outcome", "scl90", "--out", str(tmp_path / "scl90.png")],
        ["trial", "joint", project, "--by", "scl90", "--reliability", "0.97"],
        ["meta", str(root / "corpora" / "meta" / "bcg.csv"), "--measure", "RR", "--forest", str(tmp_path / "f.png")],
        ["pseudonymise", str(raw), "--out", str(tmp_path / "pseudo")],
    ]
    for command in commands:
        code, sockets = run_watched(tmp_path, *command)
        assert code == 0, command
        assert sockets == [], (command, sockets)
