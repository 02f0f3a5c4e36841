"""Accounts: users, their login sessions and their API tokens."""
