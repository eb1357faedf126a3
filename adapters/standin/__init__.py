"""Stand-in department systems with synthetic people, for the demo and tests."""
