"""GS1 for every app: Digital Link URIs (built and parsed), QR codes and label sheets.

The public web service resolves the links; the cooperative app prints PDF labels and scans them.
Services cannot import each other, so this lives in ``shared``. The rules of the keys
themselves (check digits, lot characters, what a Digital Link can carry) are the domain's, in
``shared.domain.identifiers``: this package imports them and never the other way round.
"""
