"""Export files that are valid in shape but absurd in size, as an attacker (or a broken
script) would produce them. Used by the import-limit tests and `bench/import_limits.py`."""

from __future__ import annotations

from pathlib import Path

HEAD = (
    b'{"format": "selfcheck-export", "format_version": 1, "exported_at": "2026-11-21T09:00:00Z",'
    b' "questionnaire": {"id": "weltoffene-kommune", "version": "2026-1"},'
    b' "municipality": {"name": "Riesenstadt"},'
    b' "assessment": {"title": "Selbstcheck", "status": "open",'
    b' "created_at": "2026-11-20T09:00:00Z"}, "answers": [], "workshops": [{"title": "W",'
    b' "min_group_size": 3, "created_at": "2026-11-20T09:00:00Z", "rounds": [], "notes": [],'
    b' "participants": ['
)
TAIL = b"]}]}\n"


def participants_export(count: int) -> bytes:
    """One workshop with `count` participants (about 55 bytes each)."""
    people = b",".join(
        b'{"key": "t%d", "joined_at": "2026-11-20T09:00:00Z"}' % n for n in range(1, count + 1)
    )
    return HEAD + people + TAIL


def write_participants_export(path: Path, megabytes: int) -> int:
    """Write a file of at least `megabytes` MB; returns the number of participants."""
    count = megabytes * 1_000_000 // 53  # a little more: keys are shorter at first
    path.write_bytes(participants_export(count))
    return count
