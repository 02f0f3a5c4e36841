"""The JSON API for scanners and scripts, under /api/v1/."""
