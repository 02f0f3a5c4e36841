"""Participant lists: reading and merging the agencies' uploads, the person registry, the roster and its files."""
