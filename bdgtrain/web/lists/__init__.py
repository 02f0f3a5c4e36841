"""The lists area: uploading participant lists, the roster, its exports and decisions."""
