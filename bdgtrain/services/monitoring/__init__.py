"""Monitoring: the plan's overview, the audience compliance of its lists, and their exports."""
