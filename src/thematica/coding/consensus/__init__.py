"""The consensus meeting: where two independent codings differ, and what the team decided."""
