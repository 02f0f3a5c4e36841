"""What every area shares and nothing else: the audit trail, bulk writes, QR images and the safety of exported cells."""
