"""Stand-in department systems with synthetic people, for the demo and tests."""

from hedui.adapters.standin.bdc_database import write_bdc_database
from hedui.adapters.standin.people import Dataset, Household, Person, make_dataset
from hedui.adapters.standin.systems import copy_department_files, write_department_systems

__all__ = [
    "Dataset",
    "Household",
    "Person",
    "copy_department_files",
    "make_dataset",
    "write_bdc_database",
    "write_department_systems",
]
