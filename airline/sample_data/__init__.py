"""Realistic sample airline data: a day-by-day simulation of aircraft rotations, written as ASA or BTS files.

The model: carriers own *lines* (an aircraft's daily rotation of legs from a base and back, flight
numbers fixed) flown by tail numbers that swap between lines of the same base. Each leg departs from
the previous leg's destination after a scheduled turnaround; a late inbound aircraft delays the next
departure by what the turnaround slack cannot absorb. Exogenous delays come from carrier punctuality,
storm systems over groups of airports, hub congestion and ground-delay programmes; excursions are
cancelled (more on storm days), a few legs divert, a few aircraft-days carry junk tail numbers.

Everything is vectorised with numpy per day (a loop over leg positions only), formatted with pyarrow
and streamed to disk; the ASA file is shuffled through bounded temporary buckets.

Modules: `params` (constants, parameters), `network` (schedule), `simulation` (operations),
`formatting` (CSV text), `writers` (files), `generate` (the driver).
"""

from airline.sample_data.generate import SampleDataSummary, generate_sample_data
from airline.sample_data.params import (
    ASA_FILE,
    BTS_CSV_NAME,
    BTS_ZIP_NAME,
    CANCELLATION_CODES,
    CARRIERS_FILE,
    CAUSE_COLUMNS,
    PLACEHOLDER_TAIL_VALUES,
    SampleDataError,
    SampleFormat,
)
from airline.sample_data.writers import start_date_ending_2007, write_carriers_csv

__all__ = [
    "ASA_FILE",
    "BTS_CSV_NAME",
    "BTS_ZIP_NAME",
    "CANCELLATION_CODES",
    "CARRIERS_FILE",
    "CAUSE_COLUMNS",
    "PLACEHOLDER_TAIL_VALUES",
    "SampleDataError",
    "SampleDataSummary",
    "SampleFormat",
    "generate_sample_data",
    "start_date_ending_2007",
    "write_carriers_csv",
]
