"""Starts the real onvera-server for tests: a free port, a temporary data
directory, and the keys it created. The same child-process harness the soak
uses (tools/soak/soaklib.py)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools", "soak"))

from soaklib import Server  # noqa: E402,F401
