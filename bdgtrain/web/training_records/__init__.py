"""Training outside the system, per person: the list, a person's records, the form, the .xlsx import and export."""
