"""Personal-data protection pages (admin): the access log, a person's data, export and erasure."""
