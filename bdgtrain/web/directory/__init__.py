"""The directory area of the web layer."""
