"""ante's test bed, importable by every test (pytest puts `tests/` on the path).

- `ante`: the one way to run ante (`run_ante`, in-process or as a process; `start_ante`).
- `gitbed`: real git, a team repository pushed to a bare origin (`make_team`).
- `fakegithub`: the one fake GitHub (see its docstring for tokens, search, faults, events).
- `payloads`: webhook payloads from GitHub's own examples, validated against its schema.
- `builders`: small builders tests share (journal entries, rotations, backlog weeks, instants).
- `awardkit`, `intakekit`, `statusdemo`, `ledger_data`: builders of one area each.
- `actions`: GitHub Actions for tests, running the workflows on the fake (`World`, `Runner`),
  and the team-life soak on it (`actions.soak`).
"""
