"""The ledger directory on disk: load and validate it, append to the journal, open new periods.

Over 300 lines on purpose: loading, checkpoint checks and appending share one file layout and
must agree byte for byte.

Layout (all under `ledger/`):
  members.yaml, policy.yaml           people edit these (ante only appends surgically)
  journal/<YYYY>/opening.yaml         checkpoint carried from the previous year (tool-written)
  journal/<YYYY>/entries.yaml         the append-only journal of the year (tool-written)
  journal/<YYYY>/<other>.yaml         more entries of that year, e.g. one weekly tax file
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ante.core.ledger import Ledger, check
from ante.core.models import Entry, JournalFile, Member, MembersFile, Opening, Policy
from ante.errors import DataError, Problem
from ante.files import yamlio

JOURNAL_HEADER = (
    "# Chip journal for {period}, written by ante. Append-only: never edit or delete an entry;\n"
    "# correct a mistake with a new `adjust` entry (`kind: adjust`, with a `reason`).\n"
)
OPENING_HEADER = "# Checkpoint written by ante when {period} opened: balances carried in.\n"


@dataclass(frozen=True)
class Origin:
    """Where a loaded entry came from, to point at it in messages."""

    document: yamlio.Document
    index: int


class Store:
    """The team repository's `ledger/` directory."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.dir = repo / "ledger"
        self.members_path = self.dir / "members.yaml"
        self.policy_path = self.dir / "policy.yaml"
        self.journal_dir = self.dir / "journal"
        # Checkpoints parsed in this run, by path and exact bytes: a command checks the open
        # year's checkpoint, then loads the year on it (500 balances, parsed once).
        self._openings: dict[tuple[Path, str], tuple[Opening, yamlio.Document]] = {}

    # ---- reading ---------------------------------------------------------------------------

    def members(self) -> dict[str, Member]:
        if not self.members_path.exists():
            raise DataError(
                Problem(
                    self._shown(self.members_path), None, None, "no ledger here (run ante init)"
                )
            )
        data = yamlio.load(self.members_path, MembersFile, self.repo, empty={})
        return {member.login: member for member in data.members}

    def policy(self) -> Policy:
        if not self.policy_path.exists():
            return Policy()
        return yamlio.load(self.policy_path, Policy, self.repo, empty={})

    def periods(self) -> list[int]:
        if not self.journal_dir.is_dir():
            return []
        return sorted(int(p.name) for p in self.journal_dir.iterdir() if p.name.isdigit())

    def period_files(self, period: int) -> list[Path]:
        folder = self.journal_dir / str(period)
        files = sorted(p for p in folder.glob("*.yaml") if p.name != "opening.yaml")
        return sorted(files, key=lambda p: p.name != "entries.yaml")  # the main file first

    def load(self, *, full: bool = False) -> Ledger:
        """The current period, validated, on a checkpoint chain that is intact.

        Every load checks the current checkpoint (present where a year came before, unedited,
        in order) and that no closed period gained, lost or changed a file since it was sealed
        (sizes from the checkpoint, and the previous year's digest); closed years are not read.
        `full` also replays every closed period against its successor's checkpoint.
        """
        members, policy = self.members(), self.policy()
        periods = self.periods()
        if not periods:
            return Ledger(members, policy)
        problems: list[Problem] = []
        try:
            self.check_closed(periods[-1], *self.opening(periods[-1]))
        except DataError as exc:
            problems.extend(exc.problems)
        ledger: Ledger | None = None
        previous: Ledger | None = None
        for period in periods if full else periods[-1:]:
            try:
                ledger = self._load_period(period, members, policy, previous if full else None)
            except DataError as exc:
                problems.extend(exc.problems)
                ledger = None
            previous = ledger
        if problems:
            raise DataError(list(dict.fromkeys(problems)))  # each problem once
        assert ledger is not None
        return ledger

    def load_checked(
        self,
        *,
        full: bool = False,
        opening_committed: bool = False,
        settled: Collection[int] = (),
    ) -> Ledger:
        """For `validate`: the current period, and every closed one and its checkpoint.

        A closed year is trusted by its seal (the sha256 in the next year's opening checkpoint,
        written when the year was closed and validated); its seal is checked again unless the
        year is in `settled` (the caller vouches that its files and the checkpoint holding its
        seal are committed and unchanged, so the seal was checked when they were committed).
        The open checkpoint, which no seal covers yet, is checked against a re-read of the year
        before unless it is committed unchanged (`validate --against` then holds it to what was
        committed). So validating costs the same with one year or ten. `full` re-reads every
        year from the first.
        """
        periods = self.periods()
        if full or (len(periods) <= 2 and not opening_committed):
            return self.load(full=True)
        problems: list[Problem] = []
        try:  # the open checkpoint itself, and no file added to or lost from a closed year
            self.check_closed(periods[-1], *self.opening(periods[-1]))
        except DataError as exc:
            problems.extend(exc.problems)
        for period in periods[:-1] if opening_committed else periods[:-2]:
            if period in settled:
                continue
            opening_path = self.journal_dir / str(period + 1) / "opening.yaml"
            if not opening_path.exists():
                continue  # a gap in the years is the loader's to report
            document = yamlio.read(opening_path, self.repo)
            if document.validate(Opening).sealed != self.seal(period):
                problems.append(
                    document.problem(
                        ("sealed",), f"journal of {period} was changed after it was closed"
                    )
                )
        members, policy = self.members(), self.policy()
        previous: Ledger | None = None
        for period in periods[-1:] if opening_committed else periods[-2:]:
            try:
                previous = self._load_period(period, members, policy, previous)
            except DataError as exc:
                problems.extend(exc.problems)
                previous = None
        if problems:
            raise DataError(list(dict.fromkeys(problems)))
        assert previous is not None
        return previous

    def opening(self, period: int) -> tuple[Opening, yamlio.Document | None]:
        """The checkpoint of `period`, checked on its own: present, unedited and in order."""
        path = self.journal_dir / str(period) / "opening.yaml"
        earlier = [p for p in self.periods() if p < period]
        if not path.exists():
            if earlier:
                raise DataError(
                    Problem(
                        self._shown(path),
                        None,
                        None,
                        f"missing: the checkpoint carrying balances from {earlier[-1]} into "
                        f"{period} is gone, so balances would restart at zero; restore it "
                        "from git history",
                    )
                )
            empty = Opening.model_construct(period=period, balances={}, closed={}, checksum="")
            return empty, None
        try:
            key = (path, hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:  # a folder, unreadable: the YAML gateway says so
            key = (path, "")
        parsed = self._openings.get(key)
        if parsed is None:
            document = yamlio.read(path, self.repo)
            parsed = self._openings[key] = document.validate(Opening), document
        opening, document = parsed
        problems: list[Problem] = []
        if opening.checksum != opening.digest():
            problems.append(
                document.problem(
                    ("checksum",),
                    "this checkpoint was edited after ante wrote it (its checksum no longer "
                    "matches); restore it from git history and correct with an `adjust` entry",
                )
            )
        if opening.period != period:
            problems.append(
                document.problem(
                    ("period",), f"says period {opening.period} but is in the folder of {period}"
                )
            )
        expected = earlier[-1] if earlier else None
        if opening.carried_from != expected:
            where = f"ledger/journal/{opening.carried_from}/"
            problems.append(
                document.problem(
                    ("carried_from",),
                    f"carried from {opening.carried_from}, but the year before {period} is "
                    f"{expected}" + ("" if expected is None else f" ({where} is not there)"),
                )
            )
        if problems:
            raise DataError(problems)
        return opening, document

    def check_closed(self, period: int, opening: Opening, document: yamlio.Document | None) -> None:
        """No closed period gained, lost or changed a file since `opening` sealed it."""
        closed = [p for p in self.periods() if p < period]
        if not closed:
            return
        assert document is not None  # opening() refused a missing checkpoint
        seal = self._shown(document.path)
        problems: list[Problem] = []
        found: dict[str, Path] = {}
        for year in closed:
            for path in sorted((self.journal_dir / str(year)).glob("*.yaml")):
                found[f"{year}/{path.name}"] = path
        for name, path in found.items():
            size = path.stat().st_size
            if name not in opening.closed:
                problems.append(
                    Problem(
                        self._shown(path),
                        None,
                        None,
                        f"added to {name.split('/')[0]} after that year was closed by {seal}: "
                        f"its entries count in no balance; move it to ledger/journal/{period}/ "
                        "(`ante refresh` does) or remove it",
                    )
                )
            elif opening.closed[name] != size:
                problems.append(
                    Problem(
                        self._shown(path),
                        None,
                        None,
                        f"changed after {name.split('/')[0]} was closed by {seal}; restore it "
                        "from git history and correct with an `adjust` entry in the open year",
                    )
                )
        for name in opening.closed:
            if name not in found:
                problems.append(
                    Problem(
                        f"ledger/journal/{name}",
                        None,
                        None,
                        f"missing: sealed by {seal} when {name.split('/')[0]} was closed; "
                        "restore it from git history",
                    )
                )
        if not problems and opening.sealed != self.seal(closed[-1]):
            problems.append(
                document.problem(
                    ("sealed",),
                    f"journal of {closed[-1]} was changed after it was closed",
                )
            )
        if problems:
            raise DataError(problems)

    def late_files(self) -> list[Path]:
        """Files added to a closed period after it was sealed (a tax PR merged late, say)."""
        periods = self.periods()
        if len(periods) < 2:
            return []
        try:
            opening, _ = self.opening(periods[-1])
        except DataError:
            return []
        return [
            path
            for year in periods[:-1]
            for path in sorted((self.journal_dir / str(year)).glob("*.yaml"))
            if f"{year}/{path.name}" not in opening.closed
        ]

    def carry_late(self) -> list[tuple[Path, Path]]:
        """Move late files of closed periods into the open one, where their entries count.

        Each entry keeps its id and date; the closed year's seal holds again. Returns the moves.
        """
        periods = self.periods()
        moves: list[tuple[Path, Path]] = []
        for path in self.late_files():
            target = self.journal_dir / str(periods[-1]) / path.name
            if target.exists():
                target = target.with_name(f"late-{path.parent.name}-{path.name}")
            if target.exists():
                continue  # carried before under this name: the load names the file to settle
            target.write_bytes(path.read_bytes())
            path.unlink()
            moves.append((path, target))
        return moves

    def _load_period(
        self, period: int, members: dict[str, Member], policy: Policy, previous: Ledger | None
    ) -> Ledger:
        opening_path = self.journal_dir / str(period) / "opening.yaml"
        problems: list[Problem] = []
        opening, opening_doc = self.opening(period)
        if previous is not None and opening_doc is not None:
            if _nonzero(opening.balances) != _nonzero(previous.balances()):
                problems.append(
                    opening_doc.problem(
                        ("balances",),
                        f"does not match the closing balances of {previous.period}",
                    )
                )
            if opening.sealed != self.seal(previous.period or 0):
                problems.append(
                    opening_doc.problem(
                        ("sealed",),
                        f"journal of {previous.period} was changed after it was closed",
                    )
                )
        entries: list[Entry] = []
        origins: list[Origin] = []
        for path in self.period_files(period):
            document = yamlio.read(path, self.repo, fast=True)
            try:
                journal = document.validate(JournalFile, empty={})
            except DataError as exc:
                problems.extend(exc.problems)
                continue
            problems.extend(_kinds(path, document, journal))
            entries.extend(journal.entries)
            origins.extend(Origin(document, i) for i in range(len(journal.entries)))
        for violation in check(members, opening.balances, entries):
            if violation.index is None:
                problems.append(Problem(self._shown(opening_path), None, None, violation.message))
                continue
            origin = origins[violation.index]
            loc: list[str | int] = ["entries", origin.index]
            loc += [violation.field] if violation.field else []
            problems.append(origin.document.problem(loc, violation.message))
        if problems:
            raise DataError(problems)
        return Ledger(members, policy, dict(opening.balances), entries, period)

    def entries_about(
        self, refs: set[str], periods: Iterable[int], ids: Iterable[int] = ()
    ) -> dict[str, list[Entry]]:
        """Entries of `periods` whose ref is one of `refs`, or whose `issue_id` is one of
        `ids` (an issue booked under an address it had before a rename), by ref.

        A file whose text mentions none of the refs or ids is not parsed at all (ante writes a
        ref and an id as they are, on its entry's line), so looking up an old issue costs a
        substring search per closed year rather than a parse: flat in the ledger's age.
        """
        wanted = set(ids)
        needles = [*refs, *(f"issue_id: {number}" for number in wanted)]
        found: dict[str, list[Entry]] = {}
        for period in periods:
            for path in self.period_files(period):
                text = path.read_text(encoding="utf-8", errors="replace")
                if not any(needle in text for needle in needles):
                    continue
                journal = yamlio.read(path, self.repo, fast=True).validate(JournalFile, empty={})
                for entry in journal.entries:
                    if entry.ref in refs or entry.issue_id in wanted:
                        found.setdefault(entry.ref, []).append(entry)
        return found

    def opening_balances(self, period: int) -> dict[str, int]:
        """The balances carried into `period` (none before the first period)."""
        opening, _ = self.opening(period)
        return dict(opening.balances)

    def member_entries(self, period: int, login: str) -> list[Entry]:
        """`login`'s entries of `period`, in journal order; only their rows are validated."""
        key = login.lower()
        entries: list[Entry] = []
        for path in self.period_files(period):
            document = yamlio.read(path, self.repo, fast=True)
            data = document.data
            rows = data.get("entries") if isinstance(data, dict) else None
            if not isinstance(rows, list):
                entries.extend(document.validate(JournalFile, empty={}).entries)
                continue
            mine = [r for r in rows if isinstance(r, dict) and str(r.get("member")).lower() == key]
            try:
                journal = JournalFile.model_validate({**data, "entries": mine})
            except ValidationError:  # say exactly where: validate the whole file
                journal = document.validate(JournalFile, empty={})
            entries.extend(journal.entries)
        return [e for e in entries if e.member.lower() == key]

    def seal(self, period: int) -> str:
        digest = hashlib.sha256()
        folder = self.journal_dir / str(period)
        for path in sorted(folder.glob("*.yaml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def open_period_for(self, year: int) -> int:
        """Where entries of `year` are written: that year, or the open one if it came later."""
        periods = self.periods()
        return max(year, periods[-1]) if periods else year

    # ---- writing ---------------------------------------------------------------------------

    def append(
        self, ledger: Ledger, entries: list[Entry], *, name: str = "entries.yaml"
    ) -> list[Entry]:
        """Add the new ones among `entries` to the journal; replays change nothing.

        Entries dated in a later year than the current period open that year's period with a
        checkpoint. Returns what was written. Raises ValueError (nothing written) on a violation.
        """
        fresh = ledger.add(entries)
        if not fresh:
            return []
        current = ledger.period or fresh[0].date.year
        later = [e for e in fresh if e.date.year > current]
        now_part = [e for e in fresh if e.date.year <= current]
        if now_part:
            self._append_lines(self.journal_dir / str(current) / name, current, now_part)
        if later:
            year = max(e.date.year for e in later)
            self.open_period(year, _balances_without(ledger, later), current)
            self._append_lines(self.journal_dir / str(year) / name, year, later)
            ledger.period, ledger.opening = year, _balances_without(ledger, later)
            ledger.entries = list(later)
        if ledger.period is None:
            ledger.period = current
        return fresh

    def write_new_file(
        self,
        period: int,
        name: str,
        entries: list[Entry],
        *,
        head: dict[str, object] | None = None,
    ) -> Path:
        """A whole journal file of its own (e.g. one week's tax, `head` = week, rate, reason)."""
        path = self.journal_dir / str(period) / name
        yamlio.write_text(path, journal_text(period, entries, head))
        return path

    def open_period(self, year: int, balances: dict[str, int], previous: int | None) -> None:
        """Close every earlier period and open `year` on the balances carried into it."""
        closed: dict[str, int] = {}
        for period in self.periods():
            if period < year:
                for path in sorted((self.journal_dir / str(period)).glob("*.yaml")):
                    closed[f"{period}/{path.name}"] = path.stat().st_size
        opening = Opening.model_construct(
            period=year,
            carried_from=previous,
            sealed=self.seal(previous) if previous is not None else None,
            closed=closed,
            balances=dict(sorted(balances.items())),
            checksum="",
        )
        fields = opening.model_dump(exclude={"checksum"})
        fields["checksum"] = opening.digest()
        text = OPENING_HEADER.format(period=year) + "\n".join(yamlio.block(fields)) + "\n"
        yamlio.write_text(self.journal_dir / str(year) / "opening.yaml", text)

    def _append_lines(self, path: Path, period: int, entries: list[Entry]) -> None:
        text = path.read_text(encoding="utf-8") if path.exists() else journal_text(period, [])
        if _empty_document(text):  # `~` or nothing but comments: no list to append to yet
            text = journal_text(period, [])
        lines = [f"- {yamlio.flow(entry.fields())}" for entry in entries]
        yamlio.write_text(path, yamlio.append_to_list(text, "entries", lines))

    def _shown(self, path: Path) -> str:
        return yamlio.display(path, self.repo)


def journal_text(period: int, entries: list[Entry], head: dict[str, object] | None = None) -> str:
    lines = [f"- {yamlio.flow(entry.fields())}" for entry in entries]
    top = "".join(f"{k}: {yamlio.scalar(v)}\n" for k, v in (head or {}).items() if v is not None)
    return yamlio.append_to_list(
        JOURNAL_HEADER.format(period=period) + top + "entries: []\n", "entries", lines
    )


def _balances_without(ledger: Ledger, later: list[Entry]) -> dict[str, int]:
    balances = ledger.balances()
    for entry in later:
        balances[entry.member] -= entry.delta
    return balances


def _kinds(path: Path, document: yamlio.Document, journal: JournalFile) -> list[Problem]:
    """A weekly tax file holds that week's tax and nothing else; no other file names a week."""
    problems: list[Problem] = []
    is_tax_file = path.name.startswith("tax-")
    if is_tax_file and journal.week is None:
        problems.append(document.problem((), "a tax file names its `week` (e.g. week: 2026-W47)"))
    if journal.week is not None and path.name != f"tax-{journal.week}.yaml":
        problems.append(
            document.problem(
                ("week",), f"the tax of {journal.week} goes in tax-{journal.week}.yaml"
            )
        )
    if not is_tax_file and journal.week is None and journal.rate is not None:
        problems.append(document.problem(("rate",), "`rate` belongs in a weekly tax file"))
    for index, entry in enumerate(journal.entries):
        if is_tax_file and entry.kind != "tax":
            problems.append(
                document.problem(
                    ("entries", index, "kind"),
                    f"a {entry.kind} entry in a tax file: a tax file holds only that week's tax "
                    "(put it in entries.yaml)",
                )
            )
    return problems


def _empty_document(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    return all(
        not line or line.startswith("#") or line in ("~", "null", "---", "...") for line in lines
    )


def _nonzero(balances: dict[str, int]) -> dict[str, int]:
    return {login: chips for login, chips in balances.items() if chips}
