"""What higher modules add to an enterprise's profile (一企一档), without importing them.

The registry sits below chains, service, investment and the rest (docs/architecture.md), yet
the profile shows the enterprise's chains, its 企呼我应 requests and its projects. So those
apps register, from their own `AppConfig.ready()`, plain functions here:

- `register_chain_reader(fn)`: fn(enterprise_ids) → {id: [ChainPlacement, …]}, the chains and
  links an enterprise is on (chains registers it; the API's `chains` field and the profile
  read it);
- `register_chain_names(fn)`: fn() → [(code, name), …] for chain filters and labels;
- `register_flag_action(FlagAction(label, url_name))`: an action on an early-warning flag
  (service offers 代企业发起诉求, 我呼企应);
- `register_section(ProfileSection(...))`: a titled block of the profile page, rendered by the
  registering app's own template with the context its function returns (None hides it).

Registration is a direct import of this module by the higher app, so a missing or broken
section is an error at start-up, not a silent placeholder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypedDict


class ChainPlacement(TypedDict):
    """An enterprise on a chain link, with its role there and where the link sits."""

    chain_code: str
    chain_name: str
    link_id: int
    link_name: str
    segment: str
    segment_display: str
    role: str
    role_display: str
    url: str


@dataclass(frozen=True)
class ProfileSection:
    """A block of the profile page: `render(enterprise=, user=)` → template context or None."""

    key: str
    title: str
    order: int
    template: str
    render: Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class FlagAction:
    """An action a higher app offers on an early-warning flag: a page taking the flag's id."""

    label: str
    url_name: str


_flag_actions: list[FlagAction] = []
_chain_names: list[Callable[[], list[tuple[str, str]]]] = []
_chain_readers: list[Callable[[list[int]], dict[int, list[ChainPlacement]]]] = []
_sections: dict[str, ProfileSection] = {}


def register_chain_reader(fn: Callable[[list[int]], dict[int, list[ChainPlacement]]]) -> None:
    if fn not in _chain_readers:
        _chain_readers.append(fn)


def register_chain_names(fn: Callable[[], list[tuple[str, str]]]) -> None:
    """fn() → [(code, name), …] of the chains, in their order (for filters and labels)."""
    if fn not in _chain_names:
        _chain_names.append(fn)


def chain_choices() -> list[tuple[str, str]]:
    """(code, name) of every chain, as registered by the chains app; empty without it."""
    return [pair for fn in _chain_names for pair in fn()]


def register_flag_action(action: FlagAction) -> None:
    if action not in _flag_actions:
        _flag_actions.append(action)


def flag_actions() -> list[FlagAction]:
    """Actions other apps offer on a warning flag (e.g. service: file a request for it)."""
    return list(_flag_actions)


def register_section(section: ProfileSection) -> None:
    _sections[section.key] = section


def chains_of(enterprise_ids: Iterable[int]) -> dict[int, list[ChainPlacement]]:
    """The chain placements of these enterprises (empty lists when no reader is installed)."""
    ids = list(enterprise_ids)
    out: dict[int, list[ChainPlacement]] = {pk: [] for pk in ids}
    for reader in _chain_readers:
        for pk, placements in reader(ids).items():
            out.setdefault(pk, []).extend(placements)
    return out


def sections_for(enterprise, user) -> list[dict[str, Any]]:
    """The registered sections this user gets for this enterprise, in order, rendered."""
    out = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        context = section.render(enterprise=enterprise, user=user)
        if context is not None:
            out.append(
                {
                    "key": section.key,
                    "title": section.title,
                    "template": section.template,
                    **context,
                }
            )
    return out
