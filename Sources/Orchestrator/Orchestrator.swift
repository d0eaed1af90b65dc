// Orchestrator: being built; see the module table in README.md.
