"""Calendar: feeds, subscription pages, .ics downloads, invitations by e-mail."""
