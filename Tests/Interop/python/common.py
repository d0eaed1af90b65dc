"""Shared helpers for the transport interop tests."""
import os
import sys
import traceback

_results = []


def case(fn):
    """Registers a test case."""
    _results.append(fn)
    return fn


def run_all(*args):
    failed = 0
    only = os.environ.get("ONVERA_ONLY")
    for fn in _results:
        if only and only not in fn.__name__:
            continue
        try:
            fn(*args)
            print(f"ok   {fn.__name__}", flush=True)
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"FAIL {fn.__name__}", flush=True)
            traceback.print_exc()
    print(f"{len(_results) - failed if not only else '-'} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def expect(cond, what):
    if not cond:
        raise AssertionError(what)
