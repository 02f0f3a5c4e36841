"""Class feedback: the participants' form and quiz, the results, the plan's settings, trainers' links."""
