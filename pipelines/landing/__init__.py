"""Files as received: content hashes, the archive, the one ledger of loaded files, raw-table writes.

Every source (plans, reports, indices) lands its files through this package, so a file is hashed,
archived, recorded, re-read when its reader changes and forgotten when removed in one way.
"""
