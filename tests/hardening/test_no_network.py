"""Interview data never leaves the machine: a full CLI run makes no network access.

The commands run in a child interpreter with an audit hook, installed before Thematica is imported,
that records every socket event, command by command.
Connections, sends, name lookups and binds to anything but loopback are forbidden. One event is
known and allowed: importing urllib3 (pulled in by spaCy) creates a socket and binds it to
``::1`` port 0 to probe IPv6 support; it never connects or sends.
"""

from __future__ import annotations

import json
import subprocess
import sys

HOOK = r"""
import sys, json
events = []
def hook(name, args):
    if not name.startswith("socket.") or name == "socket.__new__":
        return
    if name == "socket.bind" and args[1][0] in ("::1", "127.0.0.1"):
        return
    events.append(f"{name} {args[1:]!r}")
sys.addaudithook(hook)
with open(sys.argv[1], encoding="utf-8") as handle:
    commands = json.load(handle)
from thematica.cli import main
outcomes = []
for command in commands:
    del events[:]
    if command == ["--control--"]:  # the hook's own check: a name lookup (localhost) must be recorded
        import socket
        socket.getaddrinfo("localhost", None)
        outcomes.append({"command": command, "code": 0, "sockets": list(events)})
        continue
    try:
        main(command)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    outcomes.append({"command": command, "code": code, "sockets": list(events)})
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump(outcomes, handle)
"""


def run_watched(tmp_path, commands: list[list[str]]) -> list[dict]:
    """Run the commands one after another in ONE child interpreter (the checkout under test), the
    audit hook installed before Thematica is imported: each command's socket events (its imports'
    included, which happen during the first command that needs them) are recorded separately."""
    from tests.conftest import checkout_environment

    script, record = tmp_path / "commands.json", tmp_path / "sockets.json"
    script.write_text(json.dumps([*commands, ["--control--"]]), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", HOOK, str(script), str(record)], capture_output=True,
                            text=True, timeout=600, env=checkout_environment())
    assert result.returncode == 0, result.stderr[-3000:]
    outcomes = json.loads(record.read_text(encoding="utf-8"))
    *outcomes, control = outcomes
    assert [outcome["command"] for outcome in outcomes] == commands
    assert any(event.startswith("socket.getaddrinfo") for event in control["sockets"]), control
    return outcomes


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
    for outcome in run_watched(tmp_path, commands):
        assert outcome["code"] == 0, outcome["command"]
        assert outcome["sockets"] == [], (outcome["command"], outcome["sockets"])


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
    for outcome in run_watched(tmp_path, commands):
        assert outcome["code"] == 0, outcome["command"]
        assert outcome["sockets"] == [], (outcome["command"], outcome["sockets"])
