"""Standard normal quantiles, from scipy rather than typed-in digits."""

from __future__ import annotations

from scipy.stats import norm

CONFIDENCE = 0.95


def z_two_sided(confidence: float = CONFIDENCE) -> float:
    """z with P(|Z| ≤ z) = confidence: Φ⁻¹((1 + confidence)/2), 1.959964 for 95%."""
    return float(norm.ppf((1 + confidence) / 2))


Z95 = z_two_sided(CONFIDENCE)
