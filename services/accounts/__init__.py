"""The app for people's sign-in and accounts: ``/sign-in``, ``/sign-out``, ``/account``."""
