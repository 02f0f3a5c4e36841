"""The main area of the web layer."""
