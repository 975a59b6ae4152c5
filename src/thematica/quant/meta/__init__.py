"""Meta-analysis and network meta-analysis: pure functions of per-study numbers (no database, no UI)."""
