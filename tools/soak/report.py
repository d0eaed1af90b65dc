"""Renders the soak results (tools/soak/results/*.json, written by the full runs of
tools/soak/run) into tools/soak/RESULTS.md.

Usage: report.py RESULTS_DIR OUTPUT.md"""
import json
import os
import sys

ORDER = ["crash", "disk", "hostile", "load"]


def fmt(value):
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def duration(seconds):
    seconds = int(round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60} s"


def render(results):
    out = ["# Soak results", "",
           "What `tools/soak/run` (the on-demand, full version of each scenario) last showed. "
           "Regenerate with `tools/soak/run --report` after a run; each scenario's raw result is in "
           "`tools/soak/results/NAME.json`. The short versions run in `tools/test` on every CI run "
           "and are not recorded here.", "",
           "| Scenario | Ran | For | Result |", "|---|---|---|---|"]
    for r in results:
        status = "all checks held" if r["ok"] else f"**{len(r['failures'])} check(s) failed**"
        out.append(f"| [{r['title']}](#{anchor(r['title'])}) | {r['started']} ({r['mode']}) | "
                   f"{duration(r.get('duration_s', 0))} | {status} |")
    for r in results:
        out += ["", f"## {r['title']}", ""]
        m = r.get("machine", {})
        out.append(f"Run {r['started']}, {r['mode']} version, seed {r['seed']}, {duration(r.get('duration_s', 0))}; "
                   f"machine: {m.get('cpus', '?')} CPUs, {m.get('memory_gib', '?')} GiB, "
                   f"load {m.get('load_at_start', '?')} at start.")
        if r.get("parameters"):
            out += ["", "**Parameters:** " + "; ".join(f"{k} = {fmt(v)}" for k, v in r["parameters"].items()) + "."]
        if r.get("injected"):
            out += ["", "**Injected:**", ""] + [f"- {x}" for x in r["injected"]]
        if r.get("held"):
            out += ["", "**Held:**", ""] + [f"- {x}" for x in r["held"]]
        if r.get("failures"):
            out += ["", "**Did not hold:**", ""] + [f"- {x}" for x in r["failures"]]
        if r.get("figures"):
            out += ["", "| Figure | Value |", "|---|---|"]
            for name, (value, unit) in r["figures"].items():
                out.append(f"| {name} | {fmt(value)}{(' ' + unit) if unit else ''} |")
        if r.get("notes"):
            out += ["", "**Notes:**", ""] + [f"- {x}" for x in r["notes"]]
    missing = [s for s in ORDER if s not in {r["scenario"] for r in results}]
    if missing:
        out += ["", "## Not run yet", "", ", ".join(missing) + ": no full-run result recorded."]
    return "\n".join(out) + "\n"


def anchor(title):
    keep = "".join(c for c in title.lower() if c.isalnum() or c in " -")
    return keep.replace(" ", "-")


def main():
    directory, output = sys.argv[1], sys.argv[2]
    results = []
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        if name.endswith(".json"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                results.append(json.load(f))
    results.sort(key=lambda r: (ORDER.index(r["scenario"]) if r["scenario"] in ORDER else len(ORDER), r["scenario"]))
    with open(output, "w", encoding="utf-8") as f:
        f.write(render(results))
    print(f"wrote {output} from {len(results)} result(s)")


if __name__ == "__main__":
    main()
