"""A unit's planning pool kept through the years (issue 18)."""
