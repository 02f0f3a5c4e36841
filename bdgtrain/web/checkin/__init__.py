"""Check-in: tickets and cards, the staff scanner, the room code, attendance and the live view."""
