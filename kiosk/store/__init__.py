"""The SQLite log of every completed rep, hold, set and landing, and the reports read over SSH.

``db`` owns all SQL; ``reports`` is pure math over rows; ``export`` writes CSV/JSON for a clinic;
``commands`` registers ``log``, ``report`` and ``export``; ``bench`` measures them. Nothing is
imported here, so the pure ``reports`` loads without sqlite3.
"""
