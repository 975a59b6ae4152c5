"""The terminal tables keep what ``reports.numbers`` joins with a no-break space on one line."""

from __future__ import annotations

import io

from rich.console import Console

from thematica.cli.fitted_tables import longest_word, print_fitted_tables
from thematica.reports import numbers
from thematica.reports.document import Row, Table


def test_a_no_break_space_joins_and_the_interval_stays_on_one_line():
    interval = numbers.estimate_interval(0.06, -0.13, 0.25)
    assert longest_word(interval) == len(interval) and longest_word("a bc\tdef") == 3
    table = Table("Effects", ("Time", "d [95% CI]", "Difference [95% CI]"),
                  tuple(Row((str(t), numbers.estimate_interval(-0.08, -0.43, 0.28), interval)) for t in (0, 3, 6)))
    out = io.StringIO()
    print_fitted_tables(Console(file=out, width=40, color_system=None), [table])
    drawn = out.getvalue()
    assert interval in drawn and numbers.estimate_interval(-0.08, -0.43, 0.28) in drawn
