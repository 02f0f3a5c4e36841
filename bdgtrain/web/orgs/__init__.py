"""The orgs area of the web layer."""
