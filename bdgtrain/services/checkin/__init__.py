"""Check-in: the one path every scan takes, tickets, room codes, manual marks, the attendance views and
the offline roster."""
