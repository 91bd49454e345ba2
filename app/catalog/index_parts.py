"""The data of the search index: built from catalog rows, patched by deltas.

Its fields hold plain lists and strings only, so they marshal into the catalog
database as one snapshot (``IndexParts.stored()``, a dict of the stored fields).
Items and groups (items sharing a name) have *stable ids*: a delta of 100 items
drops and adds ids and re-lays the joined strings (a few C-level passes) instead
of rebuilding 20,000 items in Python.

Records (typed; stored in their plain tuple form, as marshal takes built-in types only):
- ``CatalogRow``: one row of the catalog cache, in its columns' order (``ROW_COLUMNS``);
- ``IndexItem``: one item of the index; ``item_at`` reads it back from the parts;
- ``IndexParts``: the index's data, named fields; ``Layout``: what ``lay_out`` derives.

Parts (``IndexParts``):
- ``items[id]``: an ``IndexItem`` as a plain tuple, or None once dropped; an item is
  keyed by (task_code, handle_code), handle_code '' for an item without 业务办理项;
- ``group_names/group_spellings/group_readings/group_members[gid]``;
- ``order``: live group ids in display order (shorter names first);
- ``layout`` (``Layout``, derived, not stored): ``names``/``name_starts`` and
  ``spellings``/``spelling_starts``/``spelling_owner``/``owner_end``: the joined
  strings searched with ``str.find`` (in display order); ``rank[gid]``: its position;
- ``sorted_spellings``/``sorted_owner``: for pinyin prefixes with ``bisect``;
- ``code_keys``: every upper-case code, sorted (exact match and prefixes by
  ``bisect``); ``code_holders``: beside each, its item id, or a list of ids when
  several items share it (no dict of 40,000 codes to rebuild at start-up).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from itertools import accumulate, chain, count, repeat
from operator import add
from typing import NamedTuple

SEP = "\x00"


class CatalogRow(NamedTuple):
    """A row of the catalog cache as the index reads it (``ROW_COLUMNS``, in order)."""

    task_code: str
    catalog_code: str
    name: str
    dept_name: str
    state: str
    search_keys: str  # initials, readings and the 办理项 code, tab-separated
    handle_code: str  # '' for an item without 业务办理项
    handle_name: str


class IndexItem(NamedTuple):
    """An item of the index; ``group`` is its name group's id."""

    task_code: str
    name: str
    catalog_code: str
    dept_name: str
    state: str
    handle_code: str
    group: int
    handle_name: str


# Fields of an item whose codes are searched exactly and by prefix.
CODE_FIELDS = ("task_code", "catalog_code", "handle_code")


def item_codes(item: IndexItem) -> list[str]:
    """The item's searchable codes (task, catalog, 办理项), the empty ones left out."""
    return [code for code in (item.task_code, item.catalog_code, item.handle_code) if code]


@dataclass(frozen=True, slots=True)
class Layout:
    """What ``lay_out`` derives from ``IndexParts.order``: rebuilt whole after each
    change (a few C-level passes), never stored in the snapshot."""

    names: str  # SEP + group names in display order joined by SEP + SEP
    name_starts: list[int]  # where each name starts in ``names``
    spellings: str  # the groups' initials spellings, joined the same way
    spelling_starts: list[int]
    spelling_owner: list[int]  # the group of each spelling
    owner_end: list[int]  # per group: where its last spelling ends in ``spellings``
    rank: list[int]  # per group: its position in display order


@dataclass(slots=True)
class IndexParts:
    """The search index's data, by name.  Not frozen: a delta patches it in place
    (``patch_parts``), which is what keeps a delta of 100 items at milliseconds."""

    items: list  # IndexItem as a plain tuple (marshal takes built-in types), or None
    live: int  # items not dropped
    group_names: list  # per group id: its name, None once dropped
    group_spellings: list[list[str]]
    group_readings: list[str]
    group_members: list[list[int]]
    order: list[int]  # live group ids in display order
    sorted_spellings: list[str]
    sorted_owner: list[int]
    code_keys: list[str]
    code_holders: list  # beside each code key: an item id, or a list of ids
    layout: Layout | None = field(default=None, compare=False)

    def stored(self) -> dict:
        """The fields the snapshot keeps (marshal-able), by name; not the layout."""
        return {name: getattr(self, name) for name in STORED_FIELDS}

    @classmethod
    def from_stored(cls, stored: dict) -> IndexParts:
        return cls(**{name: stored[name] for name in STORED_FIELDS})


STORED_FIELDS = tuple(f.name for f in fields(IndexParts) if f.name != "layout")

# A row as the database or a stored delta gives it: a plain tuple of CatalogRow's fields.
Row = tuple[str, str, str, str, str, str, str, str]
ROW_COLUMNS = ", ".join(("task_code", "catalog_code", "name", "dept_name", "state",
                         "search_keys", "handle_item_code", "handle_item_name"))
Key = tuple[str, str]  # (task_code, handle_item_code or '')


def item_at(parts: IndexParts, item_id: int) -> IndexItem:
    return IndexItem._make(parts.items[item_id])


def row_key(row: Row) -> Key:
    row = CatalogRow._make(row)
    return row.task_code, row.handle_code


def display_order(row: Row) -> tuple:
    """Shorter names first (closest to what was typed), active before suspended;
    the 办理项 of one item together, in code order."""
    row = CatalogRow._make(row)
    return (len(row.name), row.name, row.state != "active", row.dept_name, row.task_code,
            row.handle_code)


def _split_keys(search_keys: str) -> tuple[list[str], str, str]:
    initials, readings, handle = (search_keys.split("\t") + ["", "", ""])[:3]
    return initials.split(), readings, handle


def build_parts(rows: Iterable[Row]) -> IndexParts:
    rows = sorted(rows, key=display_order)
    # One object per distinct department/state string: marshal then writes
    # each once and refers back, which keeps the stored snapshot small.
    shared: dict[str, str] = {}
    typed: list[IndexItem] = []
    group_names: list = []
    group_spellings: list = []
    group_readings: list = []
    group_members: list = []
    previous = None
    for item_id, row in enumerate(map(CatalogRow._make, rows)):
        if row.name != previous:
            previous = row.name
            spellings, readings, _ = _split_keys(row.search_keys)
            group_names.append(row.name)
            group_spellings.append(spellings)
            group_readings.append(readings)
            group_members.append([])
        group = len(group_names) - 1
        typed.append(IndexItem(
            task_code=row.task_code, name=previous, catalog_code=row.catalog_code,
            dept_name=shared.setdefault(row.dept_name, row.dept_name),
            state=shared.setdefault(row.state, row.state), handle_code=row.handle_code,
            group=group, handle_name=row.handle_name))
        group_members[group].append(item_id)
    items = list(map(tuple, typed))  # marshal takes plain tuples only

    exact: dict[str, list[int]] = {}
    for name in CODE_FIELDS:  # all task codes first, then catalog, then 办理项 codes
        for item_id, item in enumerate(typed):
            code = getattr(item, name)
            if code:
                exact.setdefault(_code_key(code), []).append(item_id)
    all_spellings = list(chain.from_iterable(group_spellings))
    owners = list(chain.from_iterable(
        repeat(group, len(spellings)) for group, spellings in enumerate(group_spellings)))
    by_spelling = sorted(range(len(all_spellings)), key=all_spellings.__getitem__)
    code_keys = sorted(exact)
    parts = IndexParts(
        items=items, live=len(items), group_names=group_names,
        group_spellings=group_spellings, group_readings=group_readings,
        group_members=group_members, order=list(range(len(group_names))),
        sorted_spellings=[all_spellings[i] for i in by_spelling],
        sorted_owner=[owners[i] for i in by_spelling],
        code_keys=code_keys,
        code_holders=[exact[code][0] if len(exact[code]) == 1 else exact[code]
                      for code in code_keys],
    )
    lay_out(parts)
    return parts


def _starts(strings: list[str]) -> list[int]:
    """Where each string starts in SEP + SEP.join(strings) (C-level: runs per delta)."""
    return list(map(add, accumulate(map(len, strings), initial=0), count(1)))


def lay_out(parts: IndexParts) -> None:
    """(Re)build the joined strings and position tables from ``order``."""
    order = parts.order
    names = list(map(parts.group_names.__getitem__, order))
    per_group = list(map(parts.group_spellings.__getitem__, order))
    counts = list(map(len, per_group))
    spellings = list(chain.from_iterable(per_group))
    starts = _starts(spellings)
    owner_end = [0] * len(parts.group_names)
    rank = [0] * len(parts.group_names)
    for position, (group, end) in enumerate(zip(order, accumulate(counts), strict=True)):
        owner_end[group] = starts[end]
        rank[group] = position
    del starts[-1]
    parts.layout = Layout(
        names=SEP + SEP.join(names) + SEP, name_starts=_starts(names)[:-1],
        spellings=SEP + SEP.join(spellings) + SEP, spelling_starts=starts,
        spelling_owner=list(chain.from_iterable(map(repeat, order, counts))),
        owner_end=owner_end, rank=rank)


def rows_of(parts: IndexParts) -> list[Row]:
    """The rows the parts hold, in display order (to rebuild them from scratch)."""
    rows = []
    for group in parts.order:
        head = " ".join(parts.group_spellings[group]) + "\t" + parts.group_readings[group]
        for item_id in parts.group_members[group]:
            item = item_at(parts, item_id)
            rows.append(tuple(CatalogRow(
                task_code=item.task_code, catalog_code=item.catalog_code, name=item.name,
                dept_name=item.dept_name, state=item.state,
                search_keys=f"{head}\t{item.handle_code}", handle_code=item.handle_code,
                handle_name=item.handle_name)))
    return rows


def patch_parts(parts: IndexParts, upserts: Iterable[Row],
                removed: Iterable[Key]) -> IndexParts:
    """Apply a delta in place (rows replaced/added and removed by item key);
    returns the parts (rebuilt when mostly holes)."""
    upserts = list(upserts)
    group_ids = {name: group for group, name in enumerate(parts.group_names)
                 if name is not None}
    groups_before = len(parts.group_names)
    dropped: set[int] = set()
    for key in set(map(tuple, removed)) | {row_key(row) for row in upserts}:
        _drop_item(parts, key, group_ids, dropped)
    for row in upserts:
        _add_item(parts, row, group_ids)
    if len(parts.items) > 2 * parts.live + 1000:
        return build_parts(rows_of(parts))  # compact ids after many deltas
    _resort_spellings(parts, dropped, range(groups_before, len(parts.group_names)))
    lay_out(parts)
    return parts


def _resort_spellings(parts: IndexParts, dropped: set[int], added: range) -> None:
    """One merge for the whole delta: the kept (spelling, owner) pairs are sorted
    already, so timsort only has to fit the new ones in."""
    pairs = [(spelling, owner) for spelling, owner
             in zip(parts.sorted_spellings, parts.sorted_owner, strict=True)
             if owner not in dropped]
    pairs += [(spelling, group) for group in added
              for spelling in parts.group_spellings[group]]
    pairs.sort()
    parts.sorted_spellings = [spelling for spelling, _owner in pairs]
    parts.sorted_owner = [owner for _spelling, owner in pairs]


def _code_key(code: str) -> str:
    """Upper-case code; the same object when it already is (shared in the snapshot)."""
    upper = code.upper()
    return code if upper == code else upper


def code_holders(parts: IndexParts, code: str) -> list[int]:
    """Item ids holding exactly this upper-case code."""
    keys = parts.code_keys
    position = bisect_left(keys, code)
    if position == len(keys) or keys[position] != code:
        return []
    return holders_at(parts, position)


def holders_at(parts: IndexParts, position: int) -> list[int]:
    holders = parts.code_holders[position]
    return [holders] if isinstance(holders, int) else holders


def _remove_code(parts: IndexParts, code: str, item_id: int) -> None:
    code = _code_key(code)
    keys = parts.code_keys
    position = bisect_left(keys, code)
    if position == len(keys) or keys[position] != code:
        return
    holders = [i for i in holders_at(parts, position) if i != item_id]
    if holders:
        parts.code_holders[position] = holders[0] if len(holders) == 1 else holders
    else:
        del keys[position], parts.code_holders[position]


def _item_order(item: IndexItem) -> tuple:
    """``display_order`` of an item (ids of one code stay in display order)."""
    return (len(item.name), item.name, item.state != "active", item.dept_name, item.task_code,
            item.handle_code)


def _add_code(parts: IndexParts, code: str, item_id: int) -> None:
    code = _code_key(code)
    keys = parts.code_keys
    position = bisect_left(keys, code)
    if position == len(keys) or keys[position] != code:
        keys.insert(position, code)
        parts.code_holders.insert(position, item_id)
        return
    holders = list(holders_at(parts, position))
    insort(holders, item_id, key=lambda i: _item_order(item_at(parts, i)))
    parts.code_holders[position] = holders


def _drop_item(parts: IndexParts, key: Key, group_ids: dict[str, int],
               dropped: set[int]) -> None:
    task_code, handle_code = key
    for item_id in code_holders(parts, _code_key(task_code)):
        item = item_at(parts, item_id)
        if item.task_code != task_code or item.handle_code != handle_code:
            continue  # another 办理项, or a code that looks like this task code
        for code in item_codes(item):
            _remove_code(parts, code, item_id)
        parts.items[item_id] = None
        parts.live -= 1
        group = item.group
        members = parts.group_members[group]
        members.remove(item_id)
        if not members:
            _drop_group(parts, group, group_ids)
            dropped.add(group)


def _drop_group(parts: IndexParts, group: int, group_ids: dict[str, int]) -> None:
    parts.order.remove(group)
    group_ids.pop(parts.group_names[group], None)
    parts.group_names[group] = None
    parts.group_spellings[group] = []
    parts.group_readings[group] = ""


def _add_item(parts: IndexParts, row: Row, group_ids: dict[str, int]) -> None:
    row = CatalogRow._make(row)
    name = row.name
    group = group_ids.get(name)
    if group is None:
        spellings, readings, _ = _split_keys(row.search_keys)
        group = group_ids[name] = len(parts.group_names)
        parts.group_names.append(name)
        parts.group_spellings.append(spellings)
        parts.group_readings.append(readings)
        parts.group_members.append([])
        names = parts.group_names
        insort(parts.order, group, key=lambda g: (len(names[g]), names[g]))
    item_id = len(parts.items)
    item = IndexItem(task_code=row.task_code, name=name, catalog_code=row.catalog_code,
                     dept_name=row.dept_name, state=row.state, handle_code=row.handle_code,
                     group=group, handle_name=row.handle_name)
    parts.items.append(tuple(item))
    parts.live += 1
    for code in item_codes(item):
        _add_code(parts, code, item_id)
    members = parts.group_members[group]
    members.append(item_id)

    def member_order(member: int) -> tuple:
        other = item_at(parts, member)
        return other.state != "active", other.dept_name, other.task_code, other.handle_code

    members.sort(key=member_order)
