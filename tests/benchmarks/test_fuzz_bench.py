"""The fuzz harness at full size (issue 14's "done when"), with its figures printed.

- 400+ corrupted team repositories x every read command, in-process (`cli.main`);
- 200+ corrupted event payloads x every event command, in-process;
- the corpus x every read command as real processes, for crashes (a signal, not an exit code)
  and memory (each process's peak RSS, from wait4).

Targets: 0 tracebacks, 0 crashes, every case under 2 s and 200 MB, and 0 inputs that
`validate` accepted and another command rejected. ANTE_FUZZ_REPOS / ANTE_FUZZ_PAYLOADS scale it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from testbed import fuzzkit

sys.path.insert(0, str(Path(__file__).parents[1]))

REPOS = int(os.environ.get("ANTE_FUZZ_REPOS", "400"))
PAYLOADS = int(os.environ.get("ANTE_FUZZ_PAYLOADS", "200"))
SECONDS, MEGABYTES = 2.0, 200
# Linux counts a child's peak memory from its parent's at exec, so an ante started by this
# (large) test process would report the test's size: a small interpreter starts it instead and
# reports the command's own peak (KiB) as the last line of stderr.
LAUNCH = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nmaxrss={usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _fuzz(strategy, count: int, judge) -> fuzzkit.Tally:
    tally = fuzzkit.Tally()

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(case) -> None:
        judge(tally, case)

    one()
    return tally


def test_fuzz_repositories_and_payloads(tmp_path: Path) -> None:
    base = fuzzkit.make_base(tmp_path)
    started = time.perf_counter()
    repos = _fuzz(
        fuzzkit.corruptions(fuzzkit.data_files(base)),
        REPOS,
        lambda tally, case: tally.judge(
            case[0], fuzzkit.run_case(base, tmp_path / "work", *case), SECONDS
        ),
    )
    for name, corrupt in fuzzkit.corpus_cases():
        repos.judge(name, fuzzkit.run_case(base, tmp_path / "work", name, corrupt), SECONDS)
    print(f"\nfuzz: repositories x {len(fuzzkit.READ_COMMANDS)} read commands: {repos.report()}")
    events = _fuzz(
        fuzzkit.payload_corruptions(),
        PAYLOADS,
        lambda tally, case: tally.judge(
            case[0], fuzzkit.run_event_case(base, tmp_path / "work", case[1]), SECONDS
        ),
    )
    print(f"fuzz: payloads x {len(fuzzkit.EVENT_COMMANDS)} event commands: {events.report()}")
    print(f"fuzz: {time.perf_counter() - started:.0f} s in all")
    for line in (repos.failures + events.failures)[:40]:
        print("  FINDING", line[:300])
    assert repos.inputs >= REPOS
    assert repos.tracebacks == events.tracebacks == 0
    assert repos.mismatches == 0
    assert repos.unlocated == events.unlocated == 0


def test_corpus_in_real_processes(tmp_path: Path) -> None:
    """Crashes and memory: each corpus case x each read command as its own process."""
    base = fuzzkit.make_base(tmp_path)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "ANTE_NOW": fuzzkit.NOW}
    crashes, slowest, largest, runs = [], (0.0, ""), (0, ""), 0
    for name, corrupt in fuzzkit.corpus_cases():
        work = tmp_path / "work"
        fuzzkit.run_case(base, work, name, corrupt)  # lay the case out
        for command in fuzzkit.READ_COMMANDS[:-1]:  # refresh writes; the others read
            args = [sys.executable, "-c", LAUNCH, sys.executable, "-m", "ante"]
            args += ["--repo", str(work), *command]
            started = time.perf_counter()
            proc = subprocess.Popen(
                args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            _, status, _ = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            seconds = time.perf_counter() - started
            err, _, peak = err.rpartition("\nmaxrss=")
            megabytes = int(peak) // 1024
            runs += 1
            label = f"{name} :: ante {' '.join(command)}"
            if proc.returncode not in (0, 1) or "Traceback" in err:
                crashes.append(f"{label}: exit {proc.returncode} {err[-200:]}")
            slowest = max(slowest, (seconds, label))
            largest = max(largest, (megabytes, label))
    print(
        f"\nfuzz: corpus as processes: {runs} runs, crashes: {len(crashes)}, slowest: "
        f"{slowest[0]:.2f} s ({slowest[1]}), largest: {largest[0]} MB ({largest[1]})"
    )
    for line in crashes:
        print("  CRASH", line)
    assert crashes == []
    assert largest[0] < MEGABYTES
