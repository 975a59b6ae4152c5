"""Trial and questionnaire statistics: pure functions of DataFrames, results as small dataclasses."""
