#!/usr/bin/env python3
"""Markdown summary of the `validate` criterion benchmark.

Reads target/criterion/**/new/estimates.json (with the benchmark.json beside it for the full ID)
and prints one row per benchmark: median in µs, the median of its parse baseline, the ratio
validate ÷ parse, and the budget check (median ≤ 20 µs).

Usage:
    cargo bench -p validator-core --bench validate
    python3 scripts/bench-summary.py [CRITERION_DIR] [--budget-us 20]

CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion or <repo>/target/criterion. Pairing:
`apply/potou/valid` ↔ `baseline/parse/apply-potou-valid`, `form/contract` ↔ `baseline/parse/form-contract`.
Exit status 1 when some benchmark is over budget, 2 when no results are found.
"""

import argparse
import json
import os
import sys
from pathlib import Path


def default_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return Path(target) / "criterion"
    return Path(__file__).resolve().parent.parent / "target" / "criterion"


def load(root: Path) -> dict:
    """full benchmark ID -> median (ns)."""
    out = {}
    for est in sorted(root.glob("**/new/estimates.json")):
        meta_path = est.with_name("benchmark.json")
        try:
            meta = json.loads(meta_path.read_text())
            full_id = meta.get("full_id") or "/".join(
                x for x in (meta.get("group_id"), meta.get("function_id"), meta.get("value_str")) if x
            )
        except (OSError, ValueError):
            full_id = str(est.parent.parent.relative_to(root))
        median = json.loads(est.read_text())["median"]["point_estimate"]
        out[full_id] = median
    return out


def baseline_of(bench_id: str) -> str:
    return "baseline/parse/" + bench_id.replace("/", "-")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", nargs="?", type=Path, default=default_dir())
    ap.add_argument("--budget-us", type=float, default=20.0)
    args = ap.parse_args()

    results = load(args.dir)
    if not results:
        print(f"no criterion results under {args.dir}; run `cargo bench -p validator-core --bench validate` first", file=sys.stderr)
        return 2

    def order(k: str):
        group = k.split("/", 1)[0]
        return ({"apply": 0, "form": 1}.get(group, 2), k)

    rows = [k for k in results if not k.startswith("baseline/")]
    over = 0
    print(f"| benchmark | median µs | parse µs | ratio (validate ÷ parse) | budget ≤ {args.budget_us:g} µs |")
    print("|---|---:|---:|---:|:---:|")
    for k in sorted(rows, key=order):
        med = results[k] / 1000.0
        base = results.get(baseline_of(k))
        base_s = f"{base / 1000.0:.2f}" if base else "—"
        ratio = f"{results[k] / base:.1f}×" if base else "—"
        ok = med <= args.budget_us
        over += not ok
        print(f"| `{k}` | {med:.2f} | {base_s} | {ratio} | {'✓' if ok else '✗'} |")
    print()
    print(f"{len(rows)} benchmarks, {len(rows) - over} within budget, {over} over.")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
