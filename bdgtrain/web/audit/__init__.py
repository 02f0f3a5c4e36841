"""The audit area of the web layer."""
