"""Systematic review: records, de-duplication, blind screening, agreement, PRISMA, extraction, risk of bias."""
