"""The planning pool: its imported entries, leaving it, and nominating its women to classes."""
