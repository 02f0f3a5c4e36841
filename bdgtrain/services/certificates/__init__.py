"""Certificates of completion: issuing, revoking, verifying."""
