"""The bottom layer: small pure formulas every other layer shares (2×2 tables, thresholds, quantiles).

Imports only the standard library, numpy and scipy, never another Thematica package except
``thematica.spans`` (import-linter enforces it), so ``coding/``, ``agreement/``, ``quant/`` and the
front ends compute a kappa, a 95% interval or an alpha colour the same way.
"""
