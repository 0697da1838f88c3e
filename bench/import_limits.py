"""How fast a hostile 50 MB export file is refused, and with how much memory: once by
the size limit (the default 25 MB) and once by the count limits (size limit raised
above the file). Each case runs in a fresh process that times only the refusal (reading
and decoding) and reports its peak memory; the whole `selfcheck import` command is timed
as well. Reference in the same run: a fresh process that only imports the modules, and
the command on a missing file (its start-up cost).

Prints one summary line at the end. Run: .venv/bin/python bench/import_limits.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reporting.hostile_exports import write_participants_export  # noqa: E402

RUNS = 5
REFUSE = """
import json, resource, sys, time
from pathlib import Path
from selfcheck.reporting.importing import ImportRefused, decode_export, read_export_file
path, limit = Path(sys.argv[1]), int(sys.argv[2])
started = time.perf_counter()
try:
    decode_export(read_export_file(path, limit)) if limit else None
except ImportRefused:
    pass
else:
    assert not limit, "not refused"
print(json.dumps({"s": time.perf_counter() - started,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _in_process(path: Path, limit: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", REFUSE, str(path), str(limit)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    result: dict[str, float] = json.loads(out)
    return result


def _command(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "selfcheck", *args],
        env={**os.environ, **env}, capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        hostile = Path(folder) / "riesig.json"
        count = write_participants_export(hostile, megabytes=50)
        size_mb = hostile.stat().st_size / 1e6
        env = {
            "SELFCHECK_DATA_DIR": folder,
            "SELFCHECK_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
        }
        raised = {**env, "SELFCHECK_IMPORT_MAX_BYTES": str(100_000_000)}
        samples: dict[str, list[dict[str, float]]] = {"baseline": [], "size": [], "counts": []}
        commands: dict[str, list[float]] = {"start": [], "size": [], "counts": []}
        for _ in range(RUNS):  # interleaved, so drifting load hits every case alike
            samples["baseline"].append(_in_process(hostile, 0))
            samples["size"].append(_in_process(hostile, 25_000_000))
            samples["counts"].append(_in_process(hostile, 100_000_000))
            commands["start"].append(_command(["import", str(Path(folder) / "fehlt.json")], env))
            commands["size"].append(_command(["import", str(hostile)], env))
            commands["counts"].append(_command(["import", str(hostile)], raised))

    def median(case: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[case])

    cmd = {name: statistics.median(values) for name, values in commands.items()}
    print(f"{size_mb:.1f} MB, {count} Teilnehmende; Median aus {RUNS}")
    print(
        f"command start_s={cmd['start']:.2f} size_s={cmd['size']:.2f} counts_s={cmd['counts']:.2f}"
    )
    print(
        f"import_limits size_s={median('size', 's'):.4f} counts_s={median('counts', 's'):.3f} "
        f"rss_mb baseline={median('baseline', 'rss_mb'):.0f} size={median('size', 'rss_mb'):.0f} "
        f"counts={median('counts', 'rss_mb'):.0f} "
        f"command_over_start size={cmd['size'] / cmd['start']:.2f} "
        f"counts={cmd['counts'] / cmd['start']:.2f}"
    )


if __name__ == "__main__":
    main()
