"""Services: the operations of the domain. They load, check, change and flush; they never commit.

The request (or the CLI command) that called them commits once, so an operation is all or nothing.
"""
