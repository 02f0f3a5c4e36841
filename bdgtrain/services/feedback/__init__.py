"""Participants' feedback and quizzes: settings, the anonymous boxes, summaries and their files."""
