"""The users area of the web layer."""
