"""Defaults of ``thematica agreement`` shared by the command line, the service and the statistics
(no imports, so the CLI can name them without loading numpy)."""

from __future__ import annotations

BOOTSTRAP_SAMPLES = 1000  # replicates of alpha's coincidence bootstrap (Hayes & Krippendorff 2007 use 1000 or more)
BOOTSTRAP_SEED = 20240917  # fixed, so the same project gives the same interval on every run
SEGMENT_MATCH_PERCENT = 90.0  # MAXQDA's intercoder default: two segments agree from 90% overlap on
