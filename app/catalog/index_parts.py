"""The data of the search index: built from catalog rows, patched by deltas.

All of it is plain lists, dicts and strings, so it marshals into the catalog
database as one snapshot.  Items and groups (items sharing a name) have
*stable ids*: a delta of 100 items drops and adds ids and re-lays the joined
strings (a few C-level passes) instead of rebuilding 20,000 items in Python.

Parts:
- ``items[id]``: (task_code, name, catalog_code, dept_name, state, handle_code, group,
  handle_name) or None once dropped; an item is keyed by (task_code, handle_code),
  handle_code '' for an item without 业务办理项;
- ``group_names/group_spellings/group_readings/group_members[gid]``;
- ``order``: live group ids in display order (shorter names first), ``rank[gid]``
  its position;
- ``names``/``name_starts`` and ``spellings``/``spelling_starts``/``spelling_owner``/
  ``owner_end``: the joined strings searched with ``str.find`` (in display order);
- ``sorted_spellings``/``sorted_owner``: for pinyin prefixes with ``bisect``;
- ``code_keys``: every upper-case code, sorted (exact match and prefixes by
  ``bisect``); ``code_holders``: beside each, its item id, or a list of ids when
  several items share it (no dict of 40,000 codes to rebuild at start-up).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from itertools import accumulate, chain, count, repeat
from operator import add

SEP = "\x00"
TASK, NAME, CATALOG, DEPT, STATE, HANDLE, GROUP, HANDLE_NAME = range(8)

# task, catalog code, name, dept, state, search_keys, handle-item code ('' if none),
# handle-item name: the catalog cache's columns, in this order.
Row = tuple[str, str, str, str, str, str, str, str]
ROW_COLUMNS = ("task_code, catalog_code, name, dept_name, state, search_keys, "
               "handle_item_code, handle_item_name")
Key = tuple[str, str]  # (task_code, handle_item_code or '')


def row_key(row: Row) -> Key:
    return row[0], row[6]


def display_order(row: Row) -> tuple:
    """Shorter names first (closest to what was typed), active before suspended;
    the 办理项 of one item together, in code order."""
    return len(row[2]), row[2], row[4] != "active", row[3], row[0], row[6]


def _split_keys(search_keys: str) -> tuple[list[str], str, str]:
    initials, readings, handle = (search_keys.split("\t") + ["", "", ""])[:3]
    return initials.split(), readings, handle


def build_parts(rows: Iterable[Row]) -> dict:
    rows = sorted(rows, key=display_order)
    # One object per distinct department/state string: marshal then writes
    # each once and refers back, which keeps the stored snapshot small.
    shared: dict[str, str] = {}
    items: list = []
    group_names: list = []
    group_spellings: list = []
    group_readings: list = []
    group_members: list = []
    previous = None
    for item_id, (task_code, catalog_code, name, dept_name, state, keys, handle,
                  handle_name) in enumerate(rows):
        if name != previous:
            previous = name
            spellings, readings, _ = _split_keys(keys)
            group_names.append(name)
            group_spellings.append(spellings)
            group_readings.append(readings)
            group_members.append([])
        group = len(group_names) - 1
        items.append((task_code, previous, catalog_code, shared.setdefault(dept_name, dept_name),
                       shared.setdefault(state, state), handle, group, handle_name))
        group_members[group].append(item_id)

    exact: dict[str, list[int]] = {}
    for column in (TASK, CATALOG, HANDLE):
        for item_id, item in enumerate(items):
            if item[column]:
                exact.setdefault(_code_key(item[column]), []).append(item_id)
    all_spellings = list(chain.from_iterable(group_spellings))
    owners = list(chain.from_iterable(
        repeat(group, len(spellings)) for group, spellings in enumerate(group_spellings)))
    by_spelling = sorted(range(len(all_spellings)), key=all_spellings.__getitem__)
    code_keys = sorted(exact)
    parts = {
        "items": items, "live": len(items), "group_names": group_names,
        "group_spellings": group_spellings, "group_readings": group_readings,
        "group_members": group_members, "order": list(range(len(group_names))),
        "sorted_spellings": [all_spellings[i] for i in by_spelling],
        "sorted_owner": [owners[i] for i in by_spelling],
        "code_keys": code_keys,
        "code_holders": [exact[code][0] if len(exact[code]) == 1 else exact[code]
                         for code in code_keys],
    }
    lay_out(parts)
    return parts


# Derived from ``order`` by ``lay_out``; not stored in the snapshot.
LAYOUT_PARTS = frozenset({"names", "name_starts", "spellings", "spelling_starts",
                          "spelling_owner", "owner_end", "rank"})


def _starts(strings: list[str]) -> list[int]:
    """Where each string starts in SEP + SEP.join(strings) (C-level: runs per delta)."""
    return list(map(add, accumulate(map(len, strings), initial=0), count(1)))


def lay_out(parts: dict) -> None:
    """(Re)build the joined strings and position tables from ``order``."""
    order = parts["order"]
    names = list(map(parts["group_names"].__getitem__, order))
    parts["names"] = SEP + SEP.join(names) + SEP
    parts["name_starts"] = _starts(names)[:-1]
    per_group = list(map(parts["group_spellings"].__getitem__, order))
    counts = list(map(len, per_group))
    spellings = list(chain.from_iterable(per_group))
    parts["spellings"] = SEP + SEP.join(spellings) + SEP
    starts = _starts(spellings)
    parts["spelling_owner"] = list(chain.from_iterable(map(repeat, order, counts)))
    owner_end = [0] * len(parts["group_names"])
    rank = [0] * len(parts["group_names"])
    for position, (group, end) in enumerate(zip(order, accumulate(counts), strict=True)):
        owner_end[group] = starts[end]
        rank[group] = position
    del starts[-1]
    parts["spelling_starts"] = starts
    parts["owner_end"] = owner_end
    parts["rank"] = rank


def rows_of(parts: dict) -> list[Row]:
    """The rows the parts hold, in display order (to rebuild them from scratch)."""
    rows = []
    for group in parts["order"]:
        head = " ".join(parts["group_spellings"][group]) + "\t" + parts["group_readings"][group]
        for item_id in parts["group_members"][group]:
            task, name, catalog, dept, state, handle, _, handle_name = parts["items"][item_id]
            rows.append((task, catalog, name, dept, state, f"{head}\t{handle}", handle,
                         handle_name))
    return rows


def patch_parts(parts: dict, upserts: Iterable[Row], removed: Iterable[Key]) -> dict:
    """Apply a delta in place (rows replaced/added and removed by item key);
    returns the parts (rebuilt when mostly holes)."""
    upserts = list(upserts)
    group_ids = {name: group for group, name in enumerate(parts["group_names"])
                 if name is not None}
    groups_before = len(parts["group_names"])
    dropped: set[int] = set()
    for key in set(map(tuple, removed)) | {row_key(row) for row in upserts}:
        _drop_item(parts, key, group_ids, dropped)
    for row in upserts:
        _add_item(parts, row, group_ids)
    if len(parts["items"]) > 2 * parts["live"] + 1000:
        return build_parts(rows_of(parts))  # compact ids after many deltas
    _resort_spellings(parts, dropped, range(groups_before, len(parts["group_names"])))
    lay_out(parts)
    return parts


def _resort_spellings(parts: dict, dropped: set[int], added: range) -> None:
    """One merge for the whole delta: the kept pairs are sorted already, so
    timsort only has to fit the new ones in."""
    pairs = [pair for pair in zip(parts["sorted_spellings"], parts["sorted_owner"],
                                  strict=True) if pair[1] not in dropped]
    pairs += [(spelling, group) for group in added
              for spelling in parts["group_spellings"][group]]
    pairs.sort()
    parts["sorted_spellings"] = [spelling for spelling, _ in pairs]
    parts["sorted_owner"] = [group for _, group in pairs]


def _code_key(code: str) -> str:
    """Upper-case code; the same object when it already is (shared in the snapshot)."""
    upper = code.upper()
    return code if upper == code else upper


def code_holders(parts: dict, code: str) -> list[int]:
    """Item ids holding exactly this upper-case code."""
    keys = parts["code_keys"]
    position = bisect_left(keys, code)
    if position == len(keys) or keys[position] != code:
        return []
    return holders_at(parts, position)


def holders_at(parts: dict, position: int) -> list[int]:
    holders = parts["code_holders"][position]
    return [holders] if isinstance(holders, int) else holders


def _remove_code(parts: dict, code: str, item_id: int) -> None:
    code = _code_key(code)
    keys = parts["code_keys"]
    position = bisect_left(keys, code)
    if position == len(keys) or keys[position] != code:
        return
    holders = [i for i in holders_at(parts, position) if i != item_id]
    if holders:
        parts["code_holders"][position] = holders[0] if len(holders) == 1 else holders
    else:
        del keys[position], parts["code_holders"][position]


def _item_order(item: tuple) -> tuple:
    """``display_order`` of an item tuple (ids of one code stay in display order)."""
    return (len(item[NAME]), item[NAME], item[STATE] != "active", item[DEPT], item[TASK],
            item[HANDLE])


def _add_code(parts: dict, code: str, item_id: int) -> None:
    code = _code_key(code)
    keys = parts["code_keys"]
    position = bisect_left(keys, code)
    if position == len(keys) or keys[position] != code:
        keys.insert(position, code)
        parts["code_holders"].insert(position, item_id)
        return
    items = parts["items"]
    holders = list(holders_at(parts, position))
    insort(holders, item_id, key=lambda i: _item_order(items[i]))
    parts["code_holders"][position] = holders


def _drop_item(parts: dict, key: Key, group_ids: dict[str, int], dropped: set[int]) -> None:
    task_code, handle_code = key
    for item_id in code_holders(parts, _code_key(task_code)):
        item = parts["items"][item_id]
        if item[TASK] != task_code or item[HANDLE] != handle_code:
            continue  # another 办理项, or a code that looks like this task code
        for column in (TASK, CATALOG, HANDLE):
            if item[column]:
                _remove_code(parts, item[column], item_id)
        parts["items"][item_id] = None
        parts["live"] -= 1
        group = item[GROUP]
        members = parts["group_members"][group]
        members.remove(item_id)
        if not members:
            _drop_group(parts, group, group_ids)
            dropped.add(group)


def _drop_group(parts: dict, group: int, group_ids: dict[str, int]) -> None:
    parts["order"].remove(group)
    group_ids.pop(parts["group_names"][group], None)
    parts["group_names"][group] = None
    parts["group_spellings"][group] = []
    parts["group_readings"][group] = ""


def _add_item(parts: dict, row: Row, group_ids: dict[str, int]) -> None:
    task_code, catalog_code, name, dept_name, state, keys, handle, handle_name = row
    group = group_ids.get(name)
    if group is None:
        spellings, readings, _ = _split_keys(keys)
        group = group_ids[name] = len(parts["group_names"])
        parts["group_names"].append(name)
        parts["group_spellings"].append(spellings)
        parts["group_readings"].append(readings)
        parts["group_members"].append([])
        names = parts["group_names"]
        insort(parts["order"], group, key=lambda g: (len(names[g]), names[g]))
    item_id = len(parts["items"])
    item = (task_code, name, catalog_code, dept_name, state, handle, group, handle_name)
    parts["items"].append(item)
    parts["live"] += 1
    for column in (TASK, CATALOG, HANDLE):
        if item[column]:
            _add_code(parts, item[column], item_id)
    members = parts["group_members"][group]
    members.append(item_id)
    items = parts["items"]
    members.sort(key=lambda i: (items[i][STATE] != "active", items[i][DEPT], items[i][TASK],
                                items[i][HANDLE]))
