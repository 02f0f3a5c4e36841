"""Certificates of completion: the organiser's pages, printing, public verification."""
