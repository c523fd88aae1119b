"""20 `ante award --push` processes at once, each in its own clone of one bare remote."""

from __future__ import annotations

from pathlib import Path

import yaml
from testbed.ante import NOW, run_ante, start_ante
from testbed.awardkit import event_payload, write_event
from testbed.gitbed import TeamRemote, git

WRITERS = 20


def test_twenty_concurrent_awards_all_land_once(team: TeamRemote, tmp_path: Path) -> None:
    logins = ("alice", "bob", "carol")
    jobs = []
    for n in range(1, WRITERS + 1):
        clone = team.clone(f"runner{n}")
        payload = event_payload("closed", number=n, assignees=[logins[n % 3]])
        path = write_event(tmp_path, payload, name=f"event{n}.json")
        jobs.append((n, clone, path))
    procs = [
        start_ante(
            ["--repo", str(clone), "award", "--event", str(path), "--push"],
            env={"ANTE_NOW": NOW},
        )
        for _, clone, path in jobs
    ]
    outcomes = [(*proc.communicate(timeout=120), proc.returncode) for proc in procs]
    failures = [(out, err) for out, err, code in outcomes if code != 0]
    assert not failures, failures[:2]
    attempts = sorted(int(out.split("pushed after ")[1].split()[0]) for out, _, _ in outcomes)
    print("attempts per writer:", attempts)

    entries = yaml.safe_load(team.show("ledger/journal/2026/entries.yaml"))["entries"]
    awarded = [e for e in entries if e["kind"] == "award"]
    ids = [e["id"] for e in awarded]
    assert len(ids) == len(set(ids)) == WRITERS  # all landed, none twice
    assert {e["ref"].rsplit("/", 1)[1] for e in awarded} == {str(n) for n in range(1, 21)}
    subjects = git(team.origin, "log", "--format=%s", "main").splitlines()
    assert sum(s.startswith("ante: +1 chip") for s in subjects) == WRITERS

    final = team.clone("check")
    assert run_ante(["--repo", str(final), "validate"]).code == 0
    rendered = run_ante(["--repo", str(final), "status", "--out", "-"]).out
    assert (final / "STATUS.md").read_text() == rendered  # re-rendered on top of every award
    balances = run_ante(["--repo", str(final), "balance", "--format", "json"]).out
    assert yaml.safe_load(balances) == {"alice": 2 + 6, "bob": 2 + 7, "carol": 2 + 7}
