"""The plans area of the web layer."""
