"""The auth area of the web layer."""
