"""Stand-in department systems with synthetic people, for the demo and tests."""

from hedui.adapters.standin.bdc_database import write_bdc_database
from hedui.adapters.standin.people import Dataset, Household, Person, make_dataset

__all__ = ["Dataset", "Household", "Person", "make_dataset", "write_bdc_database"]
