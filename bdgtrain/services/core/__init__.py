"""What every area shares and nothing else: the audit trail, bulk writes, QR images, the safety of exported cells,
and whether the database answers (the health check)."""
