"""Learning, not just looking up: quizzes and a personal review deck with spaced repetition.

quiz.py     questions from the glossary (masked definitions, plausible distractors), verdicts
deck.py     when a term is due again: the FSRS scheduler (the ``fsrs`` package)
"""
