"""What `ante award` loads before its first request, and how the `ante` program ends.

Each probe runs in a fresh interpreter: this test process may have PyGithub loaded already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ante import cli
from ante.files import formats


def _probe(code: str) -> object:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_adapter_loads_pygithub_s_requester_not_its_classes() -> None:
    loaded = _probe(
        "import json, sys\n"
        "import ante.github.adapter\n"
        "ours = ('github', 'jwt', 'nacl')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ours)))\n"
    )
    assert loaded == [
        "github",
        "github.Consts",
        "github.GithubException",
        "github.GithubObject",
        "github.Requester",
    ]


def test_pygithub_is_whole_again_at_its_first_use_with_the_same_classes() -> None:
    same = _probe(
        "import json, sys\n"
        "from ante.github import requester\n"
        "from github import Auth, Github, UnknownObjectException\n"
        "import github\n"
        "print(json.dumps([\n"
        "    github.GithubException is requester.GithubException,\n"
        "    issubclass(UnknownObjectException, requester.GithubException),\n"
        "    sys.modules['github.Requester'].Requester is requester.Requester,\n"
        "    Github(auth=Auth.Token('t')).requester.base_url,\n"
        "    '__getattr__' in vars(github),\n"
        "]))\n"
    )
    assert same == [True, True, True, "https://api.github.com", False]


def test_the_token_authenticates_as_pygithub_s_own_token() -> None:
    headers = _probe(
        "import json\n"
        "from ante.github import requester\n"
        "from github import Auth\n"
        "ours, theirs, masked = {}, {}, {}\n"
        "requester.token_auth('ghs_x').authentication(ours)\n"
        "Auth.Token('ghs_x').authentication(theirs)\n"
        "requester.token_auth('ghs_x').mask_authentication(masked)\n"
        "print(json.dumps([ours, theirs, masked]))\n"
    )
    assert headers == [
        {"Authorization": "token ghs_x"},
        {"Authorization": "token ghs_x"},
        {"Authorization": "token (oauth token removed)"},
    ]


def test_the_program_ends_with_main_s_code_and_its_words(tmp_path: Path) -> None:
    (tmp_path / formats.FILE).write_text(formats.text())
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "members.yaml").write_text("members:\n  - login: [not, a, login]\n")
    run = [sys.executable, "-m", "ante", "--repo", str(tmp_path), "validate"]
    done = subprocess.run(run, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert "ledger/members.yaml:2" in done.stderr
    assert "Traceback" not in done.stderr


def test_main_in_a_longer_lived_process_leaves_the_collector_alone() -> None:
    import gc

    before = gc.get_threshold()
    assert cli.main(["--repo", "/nonexistent", "balance"]) in (0, 1, 2)
    assert gc.isenabled() and gc.get_threshold() == before and not gc.get_freeze_count()
