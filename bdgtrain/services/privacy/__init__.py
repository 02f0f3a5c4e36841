"""Personal data: a person's dossier, erasure, retention, and the log of who read whose data."""
