"""Data quality: the Great Expectations suites in expectations/, run on the warehouse's tables."""
