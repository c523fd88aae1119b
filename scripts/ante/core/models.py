"""The team's data as typed values: members, the economy policy, and the chip journal."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ante.core.notify import NotifyPolicy

LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$")
Login = Annotated[str, Field(pattern=LOGIN.pattern)]


class Strict(BaseModel):
    """Unknown keys are typos until proven otherwise."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Leave(Strict):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Leave:
        if self.end < self.start:
            raise ValueError(f"leave ends ({self.end}) before it starts ({self.start})")
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class Member(Strict):
    login: Login
    name: str | None = None
    joined: date
    left: date | None = None
    leave: list[Leave] = []

    @model_validator(mode="after")
    def _ordered(self) -> Member:
        if self.left is not None and self.left < self.joined:
            raise ValueError(f"left ({self.left}) is before joined ({self.joined})")
        return self

    @property
    def display_name(self) -> str:
        return self.name or self.login

    def active_on(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)

    def on_leave(self, day: date) -> bool:
        return any(period.covers(day) for period in self.leave)


class MembersFile(Strict):
    members: list[Member] = []

    @field_validator("members")
    @classmethod
    def _unique(cls, members: list[Member]) -> list[Member]:
        seen: set[str] = set()
        for member in members:
            key = member.login.lower()
            if key in seen:
                raise ValueError(f"member {member.login!r} is listed twice")
            seen.add(key)
        return members


class TaxVariant(Strict):
    """A named what-if tax policy for `ante simulate`: only the fields that differ."""

    mode: Literal["adaptive", "fixed"] | None = None
    rate: int | None = Field(None, ge=0)
    min: int | None = Field(None, ge=0)
    max: int | None = Field(None, ge=0)
    max_debt: int | None = Field(None, ge=0)
    target_backlog: int | None = Field(None, ge=0)
    margin: float | None = Field(None, ge=0, le=1)
    horizon_weeks: int | None = Field(None, ge=1)
    history_weeks: int | None = Field(None, ge=1)


class TaxPolicy(Strict):
    mode: Literal["adaptive", "fixed"] = "adaptive"
    rate: int = Field(1, ge=0)  # the fixed rate, and where the adaptive rate starts
    min: int = Field(0, ge=0)
    max: int = Field(3, ge=0)
    max_debt: int | None = Field(None, ge=0)
    target_backlog: int = Field(5, ge=0)  # open overhead issues the team is content with
    margin: float = Field(0.1, ge=0, le=1)  # throughput above inflow, as a fraction
    horizon_weeks: int = Field(26, ge=1)  # reach the target within this many weeks
    history_weeks: int = Field(8, ge=1)  # weeks of backlog metrics the inflow is averaged over
    exempt_captain: bool = True
    new_member_days: int = Field(7, ge=0)
    labels: list[str] = ["chip-tax"]
    reviewers: list[str] = []
    compare: dict[str, TaxVariant] = {}  # extra policies `ante simulate` runs side by side

    @model_validator(mode="after")
    def _bounds(self) -> TaxPolicy:
        if self.min > self.max:
            raise ValueError(f"tax min ({self.min}) is above tax max ({self.max})")
        for name in self.compare:
            try:
                self.variant(name)
            except ValidationError as exc:
                message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
                raise ValueError(f"compare.{name}: {message}") from None
        return self

    def variant(self, name: str) -> TaxPolicy:
        """This policy with the named `compare` entry's fields replaced (and no variants)."""
        changes = self.compare[name].model_dump(exclude_none=True)
        base = self.model_dump(exclude={"compare"})
        return TaxPolicy.model_validate({**base, **changes})


class IntakePolicy(Strict):
    """Acknowledging new overhead issues and sweeping the noise (`ante intake`, `ante triage`)."""

    stale_days: int = Field(60, ge=1)  # no activity but ante's for this long: ask "still relevant?"
    grace_days: int = Field(14, ge=1)  # no reply for this long after asking: close as not planned
    exempt_labels: list[str] = ["pinned", "security"]  # never swept
    triage_label: str = "needs-triage"
    max_operations: int = Field(100, ge=1)  # GitHub API calls per run, reads and writes
    history_weeks: int = Field(8, ge=1)  # recorded weeks the pickup estimate's pace comes from


class PagingPolicy(Strict):
    """Who may page the on-call through the emergency issue form, and what others get.

    `members`: people in ledger/members.yaml, the rotations' people and the repository's
    writers; `everyone`: anyone who can open an issue; `org/team`: that team's members (its
    membership must be readable by ante's token) and the writers.
    """

    who: str = Field("members", pattern=r"^(members|everyone|[\w.-]+/[\w.-]+)$")
    outsiders: Literal["acknowledge", "ignore"] = "acknowledge"  # reply without paging, or not


class Policy(Strict):
    starting_grant: int = Field(2, ge=0)
    overhead_label: str = "overhead"
    awards: dict[str, int] = {"overhead": 1, "overhead:large": 2}
    triage_award: int = Field(0, ge=0)
    repositories: list[str] = []
    external: list[Login] = []  # on a rotation (e.g. managers) without playing the chip game
    tax: TaxPolicy = TaxPolicy()
    intake: IntakePolicy = IntakePolicy()
    notify: NotifyPolicy = NotifyPolicy()  # where pages, escalations and reminders go
    paging: PagingPolicy = PagingPolicy()

    @field_validator("awards")
    @classmethod
    def _positive(cls, awards: dict[str, int]) -> dict[str, int]:
        for label, chips in awards.items():
            if chips < 0:
                raise ValueError(f"award for label {label!r} is negative ({chips})")
        return awards

    @field_validator("repositories")
    @classmethod
    def _repo_names(cls, repos: list[str]) -> list[str]:
        for repo in repos:
            if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
                raise ValueError(f"{repo!r} is not an owner/name repository")
        return repos


Kind = Literal["grant", "award", "revoke", "tax", "adjust"]


class Entry(Strict):
    """One chip movement. `id` is its idempotency key: the same fact always gets the same id."""

    id: str = Field(min_length=1)
    date: date
    kind: Kind
    member: Login
    delta: int
    ref: str = Field(min_length=1)
    reason: str | None = None
    by: Login | None = None  # who asked for an adjustment
    at: datetime | None = None  # time of the source event, to order events about one issue
    # GitHub's numeric id of the issue (award/revoke): the same after its repository is renamed
    # or moved to another owner, so an event under the new address finds the chips booked under
    # the old one. Entries written before ante recorded it have none.
    issue_id: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _rules(self) -> Entry:
        if self.kind == "adjust" and not (self.reason and self.reason.strip()):
            raise ValueError("an adjust entry needs a reason")
        if self.kind in ("grant", "award") and self.delta < 0:
            raise ValueError(f"a {self.kind} cannot take chips away (delta {self.delta})")
        if self.kind in ("revoke", "tax") and self.delta > 0:
            raise ValueError(f"a {self.kind} cannot add chips (delta {self.delta})")
        return self

    def fields(self) -> list[tuple[str, object]]:
        """Key order of the journal's one-line spelling."""
        return [
            ("id", self.id),
            ("date", self.date),
            ("kind", self.kind),
            ("member", self.member),
            ("delta", self.delta),
            ("ref", self.ref),
            ("reason", self.reason),
            ("by", self.by),
            ("at", self.at),
            ("issue_id", self.issue_id),
        ]


class JournalFile(Strict):
    """A journal file. A weekly tax file also says which week, at what rate and why."""

    week: str | None = Field(None, pattern=r"^\d{4}-W\d{2}$")
    rate: int | None = Field(None, ge=0)
    reason: str | None = None
    entries: list[Entry] = []

    def is_tax_week(self) -> bool:
        return self.week is not None


class Opening(Strict):
    """A period's checkpoint: balances carried in, and what seals every closed period.

    `sealed` is the digest of the previous period's files; `closed` lists every file of every
    closed period with its size, so a file added to, removed from or grown in a closed year is
    seen without reading it; `checksum` covers this checkpoint itself.
    """

    period: int = Field(ge=1970, le=9999)
    carried_from: int | None = None
    sealed: str | None = None  # sha256 of the previous period's journal files
    closed: dict[str, int] = {}  # "2026/entries.yaml": bytes, for every closed period
    balances: dict[str, int] = {}
    checksum: str = Field(pattern=r"^[0-9a-f]{64}$")

    def digest(self) -> str:
        """What `checksum` must be: sha256 of everything else in the checkpoint."""
        body = self.model_dump(exclude={"checksum"})
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()
