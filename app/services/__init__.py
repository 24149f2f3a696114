"""Use cases of the warehouse, in pure Python (no Qt): the application's API.

The GUI, the CLI and the tests call the same functions. Each takes a session
and the acting user, does one thing a user asked for, and commits all of it
or nothing.
"""
