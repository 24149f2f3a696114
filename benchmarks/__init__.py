"""The performance suite (not part of the test run): scripts that print figures."""
