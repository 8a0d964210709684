"""The index folder from the pages' records.

    index.json          what the search page reads first: shard count, group size, filters
    k/<n>.bin           shard n: the keys hashed to it, each with its exact forms and,
                        for each form, the pages with it in the title and the others
    p/<n>.json          pages n*GROUP ... as [url, title, date, lead]: what a result shows
    f/<name>/<i>.bin    the pages with the i-th value of a filter

Pages are numbered newest first, so lower numbers rank first among equals and the page
groups a query shows are few.
"""

import hashlib
import json
from pathlib import Path

from .extract import PageRecord
from .folding import keys
from .postings import posting, shard_of, text, varint

GROUP = 20  # pages per results file: 10 results mostly come from one or two files
SHARD_BYTES = 12_000  # the aim for a shard's size before compression


def newest_first(records: list[PageRecord]) -> list[PageRecord]:
    dated = sorted((r for r in records if r.sort_date), key=lambda r: (r.sort_date, r.url))
    undated = sorted((r for r in records if not r.sort_date), key=lambda r: (r.title, r.url))
    return dated[::-1] + undated


def postings(records: list[PageRecord], first: int = 0) -> dict:
    """(folded key, exact form) -> (pages with it in the title, the other pages), for
    pages numbered from `first`."""
    found: dict[tuple[str, str], tuple[list, list]] = {}
    for number, record in enumerate(records, first):
        in_title = keys(record.title)
        for pair in keys(record.text) | in_title:
            lists = found.get(pair)
            if lists is None:
                lists = found[pair] = ([], [])
            lists[0 if pair in in_title else 1].append(number)
    return found


def shard_count(total_bytes: int) -> int:
    count = 1
    while count * SHARD_BYTES < total_bytes:
        count *= 2
    return count


def encode_shards(found: dict[tuple[str, str], tuple[list, list]]) -> list[bytes]:
    forms: dict[str, list[str]] = {}
    for folded, exact in found:
        forms.setdefault(folded, []).append(exact)
    entries = {}
    for folded, exacts in forms.items():
        out = bytearray()
        text(folded, out)
        varint(len(exacts), out)
        for exact in sorted(exacts):
            title, other = found[folded, exact]
            text(exact, out)
            posting(title, out)
            posting(other, out)
        entries[folded] = out
    shards = shard_count(sum(len(e) for e in entries.values()))
    grouped: list[list[str]] = [[] for _ in range(shards)]
    for folded in entries:
        grouped[shard_of(folded, shards)].append(folded)
    files = []
    for names in grouped:
        out = bytearray()
        varint(len(names), out)
        for name in sorted(names):
            out += entries[name]
        files.append(bytes(out))
    return files


def filter_pages(records: list[PageRecord]) -> dict[str, dict[str, list[int]]]:
    found: dict[str, dict[str, list[int]]] = {}
    for number, record in enumerate(records):
        for name, value in record.filters.items():
            found.setdefault(name, {}).setdefault(value, []).append(number)
    return found


def index_files(records: list[PageRecord], found: dict) -> dict[str, bytes]:
    """Every file of the index by its path in the folder; `records` newest first, as
    numbered in `found`."""
    shards = encode_shards(found)
    files = {f"k/{n}.bin": data for n, data in enumerate(shards)}
    for start in range(0, len(records), GROUP):
        rows = [[r.url, r.title, r.date, r.lead] for r in records[start : start + GROUP]]
        files[f"p/{start // GROUP}.json"] = _json(rows)
    filters = {}
    for name, values in sorted(filter_pages(records).items()):
        filters[name] = []
        for i, (value, pages) in enumerate(sorted(values.items())):
            out = bytearray()
            posting(pages, out)
            files[f"f/{name}/{i}.bin"] = bytes(out)
            filters[name].append([value, len(pages)])
    manifest = {"pages": len(records), "group": GROUP, "shards": len(shards)}
    manifest["filters"] = filters
    files["index.json"] = _json(manifest)
    return files


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def write_index(records: list[PageRecord], found: dict, folder: Path) -> tuple[dict, str]:
    """Writes the index into `folder`; returns index.json's content and the digest of
    every file."""
    files = index_files(records, found)
    hasher = hashlib.blake2b(digest_size=8)
    for name in sorted(files):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        hasher.update(name.encode() + b"\0" + len(files[name]).to_bytes(8, "little"))
        hasher.update(files[name])
    return json.loads(files["index.json"]), hasher.hexdigest()
