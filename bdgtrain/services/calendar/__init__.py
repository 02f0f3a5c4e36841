"""Calendars and e-mail: feed contents and links, invitations and the mail queue that carries them."""
