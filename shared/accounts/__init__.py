"""People's accounts: sign-in, sessions, CSRF, lock-out; shared by every app for people.

Tokens stay for machines (``shared.postgres.tokens``); people sign in here. Both resolve to the
same ``Actor``. ``gate.py`` is what an app for people needs to know of it.
"""
