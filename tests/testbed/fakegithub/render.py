"""JSON factories: complete, schema-valid objects with api.github.com URLs.

The server rewrites the URLs on the way out so that follow-up requests land on the fake.

Long because GitHub's objects are long: each factory spells out every field the description
requires, so that responses pass the contract check.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .model import ROLES, START, Comment, Event, Issue, Label, Reaction, Repo, User

if TYPE_CHECKING:
    from .state import State

API = "https://api.github.com"
WEB = "https://github.com"
Json = dict[str, Any]


def iso(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, number: int) -> str:
    return f"{kind}_kw{number:08d}"


def _sha(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def simple_user(user: User) -> Json:
    api = f"{API}/users/{quote(user.login)}"
    return {
        "login": user.login,
        "id": user.id,
        "node_id": node_id("U", user.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{WEB}/{quote(user.login)}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": user.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def public_user(user: User) -> Json:
    return simple_user(user) | {
        "name": user.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "public_repos": 1,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": iso(START - timedelta(days=365)),
        "updated_at": iso(START - timedelta(days=1)),
    }


def repository(repo: Repo, owner: User) -> Json:
    api = f"{API}/repos/{repo.full_name}"
    web = f"{WEB}/{repo.full_name}"
    templated = {
        "archive_url": "{archive_format}{/ref}",
        "assignees_url": "assignees{/user}",
        "blobs_url": "git/blobs{/sha}",
        "branches_url": "branches{/branch}",
        "collaborators_url": "collaborators{/collaborator}",
        "comments_url": "comments{/number}",
        "commits_url": "commits{/sha}",
        "compare_url": "compare/{base}...{head}",
        "contents_url": "contents/{+path}",
        "git_commits_url": "git/commits{/sha}",
        "git_refs_url": "git/refs{/sha}",
        "git_tags_url": "git/tags{/sha}",
        "issue_comment_url": "issues/comments{/number}",
        "issue_events_url": "issues/events{/number}",
        "issues_url": "issues{/number}",
        "keys_url": "keys{/key_id}",
        "labels_url": "labels{/name}",
        "milestones_url": "milestones{/number}",
        "notifications_url": "notifications{?since,all,participating}",
        "pulls_url": "pulls{/number}",
        "releases_url": "releases{/id}",
        "statuses_url": "statuses/{sha}",
        "trees_url": "git/trees{/sha}",
    }
    plain = (
        "contributors",
        "deployments",
        "downloads",
        "events",
        "forks",
        "hooks",
        "languages",
        "merges",
        "stargazers",
        "subscribers",
        "subscription",
        "tags",
        "teams",
    )
    open_issues = sum(1 for i in repo.issues.values() if i.state == "open")
    data: Json = {
        "id": repo.id,
        "node_id": node_id("R", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": simple_user(owner),
        "private": repo.private,
        "html_url": web,
        "description": None,
        "fork": False,
        "url": api,
        **{key: f"{api}/{suffix}" for key, suffix in templated.items()},
        **{f"{name}_url": f"{api}/{name}" for name in plain},
        "git_url": f"git://github.com/{repo.full_name}.git",
        "ssh_url": f"git@github.com:{repo.full_name}.git",
        "clone_url": f"{web}.git",
        "svn_url": web,
        "mirror_url": None,
        "homepage": None,
        "language": "Python",
        "size": 1,
        "default_branch": repo.default_branch,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "open_issues": open_issues,
        "open_issues_count": open_issues,
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": True,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "private" if repo.private else "public",
        "license": None,
        "topics": [],
        "pushed_at": iso(repo.created_at),
        "created_at": iso(repo.created_at),
        "updated_at": iso(repo.created_at),
    }
    # The archive_url template has no separating slash on GitHub either.
    data["archive_url"] = f"{api}/{{archive_format}}{{/ref}}"
    return data


def full_repository(repo: Repo, owner: User) -> Json:
    return repository(repo, owner) | {"network_count": 0, "subscribers_count": 0}


def label_json(repo: Repo, label: Label) -> Json:
    return {
        "id": label.id,
        "node_id": node_id("LA", label.id),
        "url": f"{API}/repos/{repo.full_name}/labels/{quote(label.name)}",
        "name": label.name,
        "color": label.color,
        "description": label.description,
        "default": False,
    }


def association(state: State, repo: Repo, login: str) -> str:
    if login.lower() == repo.owner.lower():
        return "OWNER"
    role = repo.permissions.get(login.lower(), "read")
    return "COLLABORATOR" if ROLES.index(role) >= ROLES.index("triage") else "NONE"


def issue_json(state: State, repo: Repo, issue: Issue, *, single: bool = True) -> Json:
    api = f"{API}/repos/{repo.full_name}/issues/{issue.number}"
    kind = "issues" if issue.pull is None else "pull"
    users = [simple_user(state.user(a)) for a in issue.assignees]
    data: Json = {
        "id": issue.id,
        "node_id": node_id("I" if issue.pull is None else "PR", issue.id),
        "url": api,
        "repository_url": f"{API}/repos/{repo.full_name}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "timeline_url": f"{api}/timeline",
        "html_url": f"{WEB}/{repo.full_name}/{kind}/{issue.number}",
        "number": issue.number,
        "state": issue.state,
        "state_reason": issue.state_reason,
        "title": issue.title,
        "body": issue.body,
        "user": simple_user(state.user(issue.user)),
        "labels": [label_json(repo, repo.labels[name]) for name in issue.labels],
        "assignee": users[0] if users else None,
        "assignees": users,
        "milestone": None,
        "locked": False,
        "active_lock_reason": None,
        "comments": len(issue.comments),
        "closed_at": iso(issue.closed_at),
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "author_association": association(state, repo, issue.user),
        "performed_via_github_app": None,
    }
    if issue.pull is not None:
        pulls = f"{WEB}/{repo.full_name}/pull/{issue.number}"
        data["draft"] = issue.pull.draft
        data["pull_request"] = {
            "url": f"{API}/repos/{repo.full_name}/pulls/{issue.number}",
            "html_url": pulls,
            "diff_url": f"{pulls}.diff",
            "patch_url": f"{pulls}.patch",
            "merged_at": iso(issue.pull.merged_at),
        }
    if single:  # GitHub sends closed_by only on the single-issue endpoints
        closer = issue.closed_by
        data["closed_by"] = simple_user(state.user(closer)) if closer else None
    return data


def search_item(state: State, repo: Repo, issue: Issue) -> Json:
    data = issue_json(state, repo, issue, single=False) | {"score": 1.0}
    if data["body"] is None:  # the search schema types body as a plain string
        del data["body"]
    return data


def comment_json(state: State, repo: Repo, comment: Comment) -> Json:
    issue_api = f"{API}/repos/{repo.full_name}/issues/{comment.issue}"
    kind = "issues" if repo.issues[comment.issue].pull is None else "pull"
    return {
        "id": comment.id,
        "node_id": node_id("IC", comment.id),
        "url": f"{API}/repos/{repo.full_name}/issues/comments/{comment.id}",
        "html_url": f"{WEB}/{repo.full_name}/{kind}/{comment.issue}#issuecomment-{comment.id}",
        "issue_url": issue_api,
        "body": comment.body,
        "user": simple_user(state.user(comment.user)),
        "created_at": iso(comment.created_at),
        "updated_at": iso(comment.updated_at),
        "author_association": association(state, repo, comment.user),
        "performed_via_github_app": None,
    }


def event_json(state: State, repo: Repo, issue: Issue, event: Event) -> Json:
    actor = simple_user(state.user(event.actor))
    if event.comment_id is not None:
        _, comment = state.comments_by_id[event.comment_id]
        return comment_json(state, repo, comment) | {"event": "commented", "actor": actor}
    data: Json = {
        "id": event.id,
        "node_id": node_id("E", event.id),
        "url": f"{API}/repos/{repo.full_name}/issues/events/{event.id}",
        "actor": actor,
        "event": event.event,
        "commit_id": _sha(repo.full_name, issue.number) if event.event == "merged" else None,
        "commit_url": None,
        "created_at": iso(event.created_at),
        "performed_via_github_app": None,
    }
    if event.label is not None:
        data["label"] = {"name": event.label, "color": repo.labels[event.label].color}
    if event.event in ("closed", "reopened"):
        data["state_reason"] = event.state_reason
    return data


def pull_json(state: State, repo: Repo, issue: Issue, *, simple: bool = False) -> Json:
    assert issue.pull is not None
    pull = issue.pull
    api = f"{API}/repos/{repo.full_name}/pulls/{issue.number}"
    issue_api = f"{API}/repos/{repo.full_name}/issues/{issue.number}"
    web = f"{WEB}/{repo.full_name}/pull/{issue.number}"
    head_sha = _sha(repo.full_name, pull.head, issue.updated_at)
    owner = state.user(repo.owner)
    users = [simple_user(state.user(a)) for a in issue.assignees]

    def end(ref: str, who: str, sha: str) -> Json:
        return {
            "label": f"{who}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": simple_user(state.user(who)),
            "repo": repository(repo, owner),
        }

    data: Json = {
        "url": api,
        "id": issue.id,
        "node_id": node_id("PR", issue.id),
        "html_url": web,
        "diff_url": f"{web}.diff",
        "patch_url": f"{web}.patch",
        "issue_url": issue_api,
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{API}/repos/{repo.full_name}/pulls/comments{{/number}}",
        "comments_url": f"{issue_api}/comments",
        "statuses_url": f"{API}/repos/{repo.full_name}/statuses/{head_sha}",
        "number": issue.number,
        "state": issue.state,
        "locked": False,
        "title": issue.title,
        "user": simple_user(state.user(issue.user)),
        "body": issue.body,
        # The pulls schemas, unlike the others, type a label description as a plain string.
        "labels": [
            label_json(repo, repo.labels[name])
            | {"description": repo.labels[name].description or ""}
            for name in issue.labels
        ],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": iso(issue.created_at),
        "updated_at": iso(issue.updated_at),
        "closed_at": iso(issue.closed_at),
        "merged_at": iso(pull.merged_at),
        "merge_commit_sha": _sha(repo.full_name, issue.number) if pull.merged_at else None,
        "assignee": users[0] if users else None,
        "assignees": users,
        "requested_reviewers": [simple_user(state.user(r)) for r in pull.requested_reviewers],
        "requested_teams": [],
        "head": end(pull.head, pull.head_owner, head_sha),
        "base": end(pull.base, repo.owner, _sha(repo.full_name, pull.base)),
        "_links": {
            name: {"href": href}
            for name, href in {
                "self": api,
                "html": web,
                "issue": issue_api,
                "comments": f"{issue_api}/comments",
                "review_comments": f"{api}/comments",
                "review_comment": f"{API}/repos/{repo.full_name}/pulls/comments{{/number}}",
                "commits": f"{api}/commits",
                "statuses": f"{API}/repos/{repo.full_name}/statuses/{head_sha}",
            }.items()
        },
        "author_association": association(state, repo, issue.user),
        "auto_merge": None,
        "draft": pull.draft,
    }
    if simple:
        return data
    return data | {
        "merged": pull.merged_at is not None,
        "mergeable": None if issue.state == "closed" else True,
        "rebaseable": None if issue.state == "closed" else True,
        "mergeable_state": "unknown" if issue.state == "closed" else "clean",
        "merged_by": simple_user(state.user(pull.merged_by)) if pull.merged_by else None,
        "comments": len(issue.comments),
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": 1,
        "additions": 1,
        "deletions": 0,
        "changed_files": 1,
    }


def reaction_json(state: State, reaction: Reaction) -> Json:
    return {
        "id": reaction.id,
        "node_id": node_id("REA", reaction.id),
        "user": simple_user(state.user(reaction.user)),
        "content": reaction.content,
        "created_at": iso(reaction.created_at),
    }
