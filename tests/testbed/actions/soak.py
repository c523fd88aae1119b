"""Team life on the test bed's Actions: a quarter of a 10-person team, in bursts, with losses.

The team repository o/r runs this repository's workflows; the team's overhead issues live in a
private product repository (o/product) whose issue events are forwarded by the README's recipe.
On working days people open, label, assign and close overhead issues; ordinary issues and
product emergencies come and go at any hour. On top of that, the bursts real teams produce:

- 20 label changes in a minute on the team repository (with an emergency opened among them) and
  on forwarded product issues (with closes among them);
- a Monday triage sweep while an emergency is opened;
- the weekly tax pull request merged while awards land;
- a close forwarded at the minute the hourly sync starts;
- 5% of deliveries dropped (the change happened on GitHub, the event never came);
- one runner lost right after its push landed.

At the end the clock runs on to the next Monday morning's refresh (so every sweep has had its
chance; the suite's short mornings stop after the next sync) and the invariants are read from
GitHub's state and the ledger on main:

- every emergency paged: by the run of its own event when the event was delivered, and by a
  scheduled sweep when it was not;
- every overhead close paid exactly once (the journal's net per issue is what the issue's final
  state is worth), and no chip doubled;
- every overhead issue acknowledged (ante's one comment on it);
- STATUS.md's balances are the ledger's.

Over 300 lines on purpose: the scenario's plan and the invariants read the same state (the
issues it opened, the deliveries it dropped); one module keeps them in step.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from testbed.fakegithub import FakeGitHub
from testbed.fakegithub.model import Comment

from .runner import Delivery, Run
from .world import World

TEAM = (
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
)
PRODUCT = "o/product"
TEAM_REPO = "o/r"
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # the team's repository exists since Wednesday 18th
QUARTER = 91
# The suite's short variant: the bursts of a Monday morning and a Wednesday morning, each in its
# own world (a clock jump between them would run two days of hourly syncs for nothing).
SHORT = (
    (MONDAY.replace(hour=6, minute=30), 6.0),
    (MONDAY.replace(day=25, hour=7, minute=30), 5.0),
)
TAG = "<!-- ante:issue -->"
PAGE_TAG = "<!-- ante:emergency -->"  # ante's one paging comment on an emergency
TOLD_AFTER_CLOSE = "closed before anyone was paged"  # its text when ante first saw it closed
WORTH = {
    "overhead": 1,
    "overhead:large": 2,
}  # the policy's awards (ante init's defaults)
NOISE_LABELS = ("needs-info", "bug", "docs", "customer", "p2", "good first issue")
DAY = timedelta(days=1)
FIXED_CLOSES = 9  # a week's closes in the bursts: 5 on Monday, 4 on Wednesday


def team(people: int = len(TEAM)) -> tuple[str, ...]:
    """A team of `people` (the bill's 50): these ten, then member11, member12, ..."""
    return (TEAM + tuple(f"member{k}" for k in range(len(TEAM) + 1, people + 1)))[:people]


def page_comment(fake: FakeGitHub, number: int) -> Comment | None:
    """ante's paging comment on the team repository's emergency `number`, if there is one."""
    return next((c for c in fake.comments(TEAM_REPO, number) if PAGE_TAG in c.body), None)


@dataclass
class Emergency:
    number: int
    opened_at: datetime
    delivery: Delivery


@dataclass
class Figures:
    """What one or more seeds produced; `line()` is the soak's one line of figures."""

    seeds: int = 0
    events: int = 0
    runs: int = 0
    skipped: int = 0
    cancelled: int = 0
    paged: int = 0
    emergencies: int = 0
    paged_by_own_run: int = 0
    told_after_close: int = 0  # ante first saw it closed (no sweep while it was open): told then
    emergencies_delivered: int = 0
    chips_landed: int = 0
    chips_expected: int = 0
    doubled: int = 0
    acknowledged: int = 0
    overhead: int = 0
    status_matches: int = 0
    worst_page_s: float = 0.0
    worst_ledger_s: float = 0.0
    problems: dict[str, list[str]] = field(default_factory=dict)

    def __add__(self, other: Figures) -> Figures:
        total = Figures()
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if name.startswith("worst"):
                setattr(total, name, max(mine, theirs))
            elif name == "problems":
                merged = {k: list(v) for k, v in mine.items()}
                for key, items in theirs.items():
                    merged.setdefault(key, []).extend(items)
                total.problems = merged
            else:
                setattr(total, name, mine + theirs)
        return total

    def line(self) -> str:
        return (
            f"soak: seeds={self.seeds} events={self.events} runs={self.runs} "
            f"skipped={self.skipped} cancelled={self.cancelled} "
            f"emergencies={self.paged}/{self.emergencies} told_after_close={self.told_after_close} "
            f"chips={self.chips_landed}/{self.chips_expected} doubled={self.doubled} "
            f"acknowledged={self.acknowledged}/{self.overhead} "
            f"worst_page_s={self.worst_page_s:.0f} worst_ledger_s={self.worst_ledger_s:.0f}"
        )

    # the invariants, each True when it holds
    @property
    def emergencies_paged(self) -> bool:
        return (
            self.paged == self.emergencies and self.paged_by_own_run == self.emergencies_delivered
        )

    @property
    def closes_paid_once(self) -> bool:
        return self.chips_landed == self.chips_expected and self.doubled == 0

    @property
    def no_chip_doubled(self) -> bool:
        return self.doubled == 0

    @property
    def overhead_acknowledged(self) -> bool:
        return self.acknowledged == self.overhead

    @property
    def status_matches_ledger(self) -> bool:
        return self.status_matches == self.seeds


class Soak:
    """One seed of team life; `run()` plays it, `figures()` reads what came of it."""

    def __init__(
        self,
        tmp: Path,
        fake: FakeGitHub,
        *,
        seed: int,
        start: datetime,
        hours: float,
        protected: bool = False,
        people: int = len(TEAM),
        closes: int | None = None,
        to_monday: bool = False,
    ) -> None:
        """`people` scales the daily traffic (10: as ever); `closes`: overhead closes a week
        (None: 1-4 a working day besides the bursts')."""
        self.seed, self.start, self.end = seed, start, start + timedelta(hours=hours)
        self.to_monday = to_monday
        self.rng = random.Random(seed * 7919 + 17 + start.toordinal())
        self.team, self.closes = team(people), closes
        self.world = World(tmp, fake, members=self.team, seed=seed, start=start)
        self.world.add_product(PRODUCT)
        for login in self.team:
            fake.set_permission(PRODUCT, login, "write")
        self.world.install_app([TEAM_REPO, PRODUCT])
        if protected:  # the README's step 4: a ruleset on main, the App on its bypass list
            self.world.remotes.protect(TEAM_REPO, rule="ruleset", bypass=["ante-app[bot]"])
        self.product: list[int] = []  # overhead issues in the product repository
        self.team_issues: list[int] = []
        self.emergencies: list[Emergency] = []
        self.closed_at: dict[str, datetime] = {}
        self.dropped = 0

    # -- what people do -------------------------------------------------------------------------

    @property
    def runner(self):  # type: ignore[no-untyped-def]
        return self.world.runner

    def _drop(self) -> bool:
        lost = self.rng.random() < 0.05
        self.dropped += lost
        return lost

    def _at(self, when: datetime, action: Callable[[], object]) -> None:
        if when > self.runner.now:
            self.runner.advance(until=when)
        action()

    def open_overhead(self) -> None:
        by, assignee = self.rng.choice(self.team), self.rng.choice(self.team)
        label = "overhead:large" if self.rng.random() < 0.2 else "overhead"
        number = self.world.fake.add_issue(
            PRODUCT,
            title=f"Overhead {len(self.product) + 1}",
            labels=[label],
            label_actor=by,
            user=by,
            assignees=[assignee],
        )
        self.product.append(number)
        # GitHub sends `opened`, then `labeled` and `assigned`; the README's workflow forwards
        # the last two
        for action, extra in (("opened", None), ("labeled", label), ("assigned", None)):
            self.world.forward(action, number, repo=PRODUCT, by=by, label=extra, drop=self._drop())

    def close_overhead(self, number: int | None = None) -> None:
        open_ = [n for n in self.product if self.world.fake.issue(PRODUCT, n).state == "open"]
        if number is None:
            if not open_:
                return
            number = self.rng.choice(open_)
        issue = self.world.fake.issue(PRODUCT, number)
        by = issue.assignees[0] if issue.assignees else self.rng.choice(self.team)
        reason = "not_planned" if self.rng.random() < 0.15 else "completed"
        self.world.fake.close_issue(PRODUCT, number, by=by, reason=reason)
        self.closed_at[f"https://github.com/{PRODUCT}/issues/{number}"] = self.runner.now
        self.world.forward("closed", number, repo=PRODUCT, by=by, drop=self._drop())

    def relabel_overhead(self) -> None:
        if not self.product:
            self.open_overhead()
        number = self.rng.choice(self.product)
        label = self.rng.choice(NOISE_LABELS)
        by = self.rng.choice(self.team)
        self.world.fake.label_issue(PRODUCT, number, label, by=by)
        self.world.forward("labeled", number, repo=PRODUCT, by=by, label=label, drop=self._drop())

    def open_team_issue(self) -> None:
        number = self.world.open_issue(
            f"Question {len(self.team_issues) + 1}",
            by=self.rng.choice(self.team),
            labels=[self.rng.choice(NOISE_LABELS)],
            drop=self._drop(),
        )
        self.team_issues.append(number)

    def relabel_team_issue(self) -> None:
        if not self.team_issues:
            self.open_team_issue()
        number = self.rng.choice(self.team_issues)
        self.world.label(
            number,
            self.rng.choice(NOISE_LABELS),
            by=self.rng.choice(self.team),
            drop=self._drop(),
        )

    def open_emergency(self) -> None:
        before = len(self.runner.deliveries)
        number = self.world.open_issue(
            f"Emergency {len(self.emergencies) + 1}: checkout is down",
            by=self.rng.choice(self.team),
            labels=["product-emergency"],
            drop=self._drop(),
        )
        # the run of its `labeled` event is the one that should page (`opened` starts none)
        delivery = [d for d in self.runner.deliveries[before:] if d.name == "issues"][-1]
        self.emergencies.append(Emergency(number, self.runner.now, delivery))

    def merge_tax(self) -> None:
        for pull in self.world.fake.pulls(TEAM_REPO):
            if pull.state == "open" and pull.title.startswith("Weekly chip tax"):
                self.world.merge_pull(pull.number, by=self.rng.choice(self.team), drop=self._drop())

    # -- the days -------------------------------------------------------------------------------

    def run(self) -> None:
        plan = self._plan()
        for when, action in sorted(plan, key=lambda p: p[0]):
            self._at(max(when, self.runner.now), action)
            self._close_old_emergencies()
        # quiet until the safety nets have had their chance: the next sync (every 8 hours, at
        # 23 past) for chips and pages and, in a full run, the Monday refresh (triage.yml, 07:11)
        # for acknowledgements whose events never came; the suite's mornings stop at the sync
        after = self.end + timedelta(minutes=1)
        while not (after.hour % 8 == 0 and after.minute == 23):
            after += timedelta(minutes=1)
        if self.to_monday:
            after = self.end + timedelta(days=1)
            while not (after.weekday() == 0 and after.hour == 7 and after.minute == 11):
                after += timedelta(minutes=1)
        self.runner.advance(until=after + timedelta(minutes=15))
        self.runner.drain()

    def _plan(self) -> list[tuple[datetime, Callable[[], None]]]:
        plan: list[tuple[datetime, Callable[[], None]]] = []
        rng = self.rng
        day = self.start.replace(hour=0, minute=0)
        scale = len(self.team) / len(TEAM)
        opens, closes = (2, 4), (1, 4)
        if self.closes is not None:  # a working day's share of the week's closes, give or take 2
            mean = round((self.closes - FIXED_CLOSES) / 5)
            opens, closes = (max(0, mean - 1), mean + 3), (max(0, mean - 2), mean + 2)

        def at(when: datetime, action: Callable[[], None]) -> None:
            if self.start <= when < self.end:
                plan.append((when, action))

        while day < self.end:

            def hour(h: float, day: datetime = day) -> datetime:
                return day + timedelta(hours=h)

            if day.weekday() < 5:  # working days: overhead comes and goes
                for _ in range(rng.randint(*opens)):
                    at(hour(rng.uniform(9, 17)), self.open_overhead)
                for _ in range(rng.randint(*closes)):
                    at(hour(rng.uniform(9.5, 18)), self.close_overhead)
                for _ in range(rng.randint(0, round(3 * scale))):
                    at(hour(rng.uniform(9, 17)), self.relabel_overhead)
                for _ in range(round(scale)):
                    at(hour(rng.uniform(9, 17)), self.open_team_issue)
            for _ in range(math.ceil(scale)):  # an emergency every five days per ten people
                if rng.random() < 0.2 * scale / math.ceil(scale):
                    at(hour(rng.uniform(0, 24)), self.open_emergency)
            if day.weekday() == 0:  # Monday's bursts
                at(hour(7 + 2 / 60), self.open_emergency)  # while the triage sweep runs
                at(hour(10), self._label_burst)  # 20 label changes, an emergency among them
                at(hour(10.5), self._forwarded_burst)  # product relabels, closes among them
                at(hour(11 + 23 / 60 + 10 / 3600), self.close_overhead)  # as sync starts
                at(hour(11 + 40 / 60), lambda: self.runner.kill_next_push(None))
                at(hour(11 + 41 / 60), self.close_overhead)
            if day.weekday() == 2:  # Wednesday: the tax pull request merged as awards land
                at(hour(8.5), self.open_overhead)
                at(hour(10.5), self.merge_tax)
                for k in range(4):
                    at(hour(10.5 + k / 120), self.close_overhead)
            day += DAY
        return plan

    def _close_old_emergencies(self) -> None:
        for emergency in self.emergencies:  # an emergency is over a few hours later
            issue = self.world.fake.issue(TEAM_REPO, emergency.number)
            if issue.state == "open" and self.runner.now - emergency.opened_at > timedelta(hours=4):
                self.world.close(emergency.number, by=self.rng.choice(self.team), drop=self._drop())

    def _label_burst(self) -> None:
        while len(self.team_issues) < 6:
            self.open_team_issue()
        start = self.runner.now
        for k in range(20):
            self._at(start + timedelta(seconds=3 * k), self.relabel_team_issue)
            if k == 10:
                self.open_emergency()

    def _forwarded_burst(self) -> None:
        while len(self.product) < 6:
            self.open_overhead()
        start = self.runner.now
        for k in range(20):
            action = self.close_overhead if k % 7 == 3 else self.relabel_overhead
            self._at(start + timedelta(seconds=3 * k), action)

    # -- what came of it ------------------------------------------------------------------------

    def figures(self) -> Figures:
        runner, fake = self.runner, self.world.fake
        f = Figures(seeds=1)
        f.events = len(runner.deliveries)
        f.runs = len(runner.runs)
        f.skipped = sum(r.conclusion == "skipped" for r in runner.runs)
        f.cancelled = sum(r.conclusion == "cancelled" for r in runner.runs)
        problems: dict[str, list[str]] = {}
        self._emergency_figures(f, problems)
        # chips
        net, landed_at = self._journal()
        for number in self.product:
            issue = fake.issue(PRODUCT, number)
            url = f"https://github.com/{PRODUCT}/issues/{number}"
            label = next((n for n in ("overhead:large", "overhead") if n in issue.labels), None)
            expected = (
                WORTH[label]
                if label and issue.state == "closed" and issue.state_reason == "completed"
                else 0
            )
            actual = net.get(url, 0)
            f.chips_expected += expected
            f.chips_landed += min(actual, expected)
            if actual > expected:
                f.doubled += 1
                problems.setdefault("doubled", []).append(
                    f"seed {self.seed}: {url} {actual}>{expected}"
                )
            elif actual < expected:
                problems.setdefault("chips", []).append(
                    f"seed {self.seed}: {url} {actual}<{expected}"
                )
            if expected and url in landed_at and url in self.closed_at:
                delay = (landed_at[url] - self.closed_at[url]).total_seconds()
                f.worst_ledger_s = max(f.worst_ledger_s, delay)
        # acknowledgements
        f.overhead = len(self.product)
        for number in self.product:
            if any(TAG in c.body for c in fake.comments(PRODUCT, number)):
                f.acknowledged += 1
            else:
                problems.setdefault("acknowledged", []).append(
                    f"seed {self.seed}: {PRODUCT}#{number}"
                )
        # STATUS.md
        status = self._status_balances()
        ledger = self._ledger_balances()
        if status == ledger:
            f.status_matches = 1
        else:
            problems.setdefault("status", []).append(f"seed {self.seed}: {status} != {ledger}")
        f.problems = problems
        return f

    @staticmethod
    def _fate(own: list[Run]) -> str:
        if not own:
            return "started no emergency run"
        why = own[0].cancel_reason or own[0].log[-300:]
        return f"run {own[0].name} {own[0].conclusion}: {why}"

    def _journal(self) -> tuple[dict[str, int], dict[str, datetime]]:
        """Net chips per issue on main, and when each paid issue's entry first reached main."""
        net: dict[str, int] = {}
        for text in self._journal_texts("main"):
            for entry in yaml.safe_load(text).get("entries") or []:
                if entry.get("ref"):
                    net[entry["ref"]] = net.get(entry["ref"], 0) + int(entry["delta"])
        landed: dict[str, datetime] = {}
        pushes = [
            d
            for d in self.runner.deliveries
            if d.name == "push" and d.payload["ref"] == "refs/heads/main"
        ]
        for push in pushes:
            texts = "\n".join(self._journal_texts(push.payload["after"]))
            for ref in set(re.findall(r"https://github\.com/o/product/issues/\d+", texts)):
                landed.setdefault(ref, push.at)
        return net, landed

    def _emergency_figures(self, f: Figures, problems: dict[str, list[str]]) -> None:
        """Every emergency paged: by its own event's run when the event came, else by a sweep (or,
        closed before any sweep ran, told to who was on call at its close)."""
        fake = self.world.fake
        f.emergencies = len(self.emergencies)
        for e in self.emergencies:
            said = page_comment(fake, e.number)
            issue = fake.issue(TEAM_REPO, e.number)
            told = said is not None and TOLD_AFTER_CLOSE in said.body
            swept = self._swept_while_open(e.opened_at, issue.closed_at) if told else None
            if said is not None and issue.assignees and swept is None:
                f.paged += 1
                if told:
                    f.told_after_close += 1
                else:
                    waited = (said.created_at - e.opened_at).total_seconds()
                    f.worst_page_s = max(f.worst_page_s, waited)
            if e.delivery.fate == "delivered":
                f.emergencies_delivered += 1
                own = e.delivery.runs
                if own and own[0].conclusion == "success" and said is not None and not told:
                    f.paged_by_own_run += 1
                else:
                    problems.setdefault("emergency", []).append(
                        f"seed {self.seed}: #{e.number} {self._fate(own)}"
                    )
            elif said is None:
                problems.setdefault("emergency", []).append(
                    f"seed {self.seed}: #{e.number} event dropped, never paged"
                )
            elif swept is not None:  # a sweep saw it open and did not page it: not paged
                problems.setdefault("emergency", []).append(
                    f"seed {self.seed}: #{e.number} open during the sync at {swept:%F %T}, "
                    "yet told only after its close"
                )

    def _swept_while_open(self, opened: datetime, closed: datetime | None) -> datetime | None:
        """When a scheduled sync ran from start to end while the emergency was open (so its
        sweep saw it open), if one did."""
        for run in self.runner.runs:
            began: datetime | None = run.started_at
            ended: datetime | None = run.finished_at
            sync = run.workflow.path.endswith("sync.yml") and run.conclusion == "success"
            if sync and began and ended and opened < began and (closed is None or ended < closed):
                return began
        return None

    def _journal_texts(self, ref: str) -> list[str]:
        remotes = self.world.remotes
        paths = [
            p for p in remotes.files(TEAM_REPO, ref, "ledger/journal") if p.endswith("entries.yaml")
        ]
        return [remotes.show(TEAM_REPO, p, ref) or "" for p in paths]

    def _status_balances(self) -> dict[str, int]:
        text = self.world.show("STATUS.md") or ""
        section = text.split("## Chip balances", 1)[-1].split("\n## ", 1)[0]
        # | avatar | [login](profile) | [chips](statement) or **chips** | last 4 weeks |
        rows = re.findall(r"\| \[([\w-]+)\]\([^)]*\) \| \[?\**(-?\d+)", section)
        return {login: int(chips) for login, chips in rows}

    def _ledger_balances(self) -> dict[str, int]:
        clone = self.world.clone("alice")
        out = subprocess.run(
            ["ante", "--repo", str(clone), "balance", "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
            env={
                "PATH": str(Path(__file__).parents[3] / ".venv/bin"),
                "ANTE_NOW": self.runner.now.isoformat(),
            },
        )
        data = json.loads(out.stdout)
        return (
            {row["login"]: int(row["chips"]) for row in data}
            if isinstance(data, list)
            else {k: int(v) for k, v in data.items()}
        )


def protected(seed: int) -> bool:
    """Even seeds play the variant whose `main` is protected by a ruleset (the App bypasses it);
    in every seed the product repository is private."""
    return seed % 2 == 0


def play(tmp: Path, seed: int, days: int = QUARTER, short: bool = False) -> Figures:
    """One seed on its own fake GitHub: a quarter from a Monday morning, or with `short` the
    suite's two mornings."""
    windows = SHORT if short else ((MONDAY.replace(hour=6), days * 24.0),)
    one_seed = Figures(seeds=1)
    for k, (start, hours) in enumerate(windows):
        with FakeGitHub() as fake:
            one = Soak(
                tmp / f"seed-{seed}-{k}",
                fake,
                seed=seed,
                start=start,
                hours=hours,
                protected=protected(seed),
                to_monday=not short,
            )
            one.run()
            figures = one.figures()
            figures.seeds = 0
            one_seed = one_seed + figures
            if fake.violations:
                raise AssertionError(f"GitHub contract violations: {fake.violations[:5]}")
        shutil.rmtree(tmp / f"seed-{seed}-{k}", ignore_errors=True)  # its quarter of remotes
    one_seed.status_matches = int(one_seed.status_matches == len(windows))
    return one_seed


def soak(
    tmp: Path,
    *,
    seeds: Iterable[int],
    days: int = QUARTER,
    short: bool = False,
    progress: bool = False,
    jobs: int = 1,
    record: Path | None = None,
) -> Figures:
    """Play each seed and add up the figures; with `jobs` > 1, that many seeds at a time, each
    in its own process (seeds share nothing: each has its own fake GitHub and folders).

    With `record`, each seed's figures are appended to that file as it ends, and a seed already
    recorded there for the same days, variant and commit (of a clean tree) is not played again:
    a run that was stopped carries on where it was."""
    total = Figures()
    stamp: dict[str, object] = {"days": days, "short": short, "commit": _commit()}
    kept = _recorded(record, stamp)
    order = [seed for seed in seeds if seed not in kept]
    for seed in sorted(set(seeds) & set(kept)):
        total = total + kept[seed]
        _report(seed, kept[seed], progress, " (recorded)")

    def done(seed: int, one_seed: Figures) -> None:
        nonlocal total
        total = total + one_seed
        _report(seed, one_seed, progress)
        if record is not None:
            with record.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"seed": seed, **stamp, "figures": asdict(one_seed)}) + "\n")

    if jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        spawn = multiprocessing.get_context("spawn")  # no threads or servers carried over
        with ProcessPoolExecutor(jobs, mp_context=spawn) as pool:
            results: Iterable[Figures] = pool.map(
                play, [tmp] * len(order), order, [days] * len(order), [short] * len(order)
            )
            for seed, one_seed in zip(order, results, strict=True):
                done(seed, one_seed)
        return total
    for seed in order:
        done(seed, play(tmp, seed, days, short))
    return total


def _commit() -> str | None:
    """The commit the test bed and ante run from; None when the tree has changes (nothing is
    then reused)."""
    root = Path(__file__).resolve().parents[3]
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    head = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    if status.returncode or head.returncode or status.stdout.strip():
        return None
    return head.stdout.strip()


def _recorded(record: Path | None, stamp: dict[str, object]) -> dict[int, Figures]:
    """The seeds `record` holds for this stamp (days, variant, commit), with their figures."""
    if record is None or stamp["commit"] is None or not record.exists():
        return {}
    kept = {}
    for line in record.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if all(entry.get(key) == value for key, value in stamp.items()):
            kept[entry["seed"]] = Figures(**entry["figures"])
    return kept


def _report(seed: int, figures: Figures, progress: bool, how: str = "") -> None:
    if progress:
        variant = "protected main" if protected(seed) else "open main"
        print(f"seed {seed} ({variant}){how}: {figures.line()}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """`make soak`: the quarter for SEEDS seeds; the last line printed is the figures."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="soak", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 1..N (default 5)")
    parser.add_argument("--days", type=int, default=QUARTER, help="days of team life (a quarter)")
    parser.add_argument("--short", action="store_true", help="the suite's two mornings instead")
    parser.add_argument("--jobs", type=int, default=1, help="seeds played at a time (default 1)")
    parser.add_argument("--first", type=int, default=1, help="the first seed (default 1)")
    parser.add_argument(
        "--record", type=Path, help="append each seed's figures here; skip seeds recorded there"
    )
    args = parser.parse_args(argv)
    # Each job's folders are made and removed: on a disk mounted with `discard` every removal
    # waits for the device, which made a soak 1.2x slower. Memory holds a seed's quarter.
    fast = Path("/dev/shm")
    where = None if "TMPDIR" in os.environ or not os.access(fast, os.W_OK) else str(fast)
    with tempfile.TemporaryDirectory(prefix="ante-soak-", dir=where) as tmp:
        figures = soak(
            Path(tmp),
            seeds=range(args.first, args.first + args.seeds),
            days=args.days,
            short=args.short,
            progress=True,
            jobs=args.jobs,
            record=args.record,
        )
    for name, items in sorted(figures.problems.items()):
        print(f"{name}: {len(items)}, e.g. {'; '.join(items[:3])}")
    print(figures.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
