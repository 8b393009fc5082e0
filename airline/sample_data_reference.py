"""Reference tables for the sample-data simulation: airports, carriers, states, BTS columns.

Plain constants only (no I/O). Coordinates are approximate; time zones are standard-time UTC
offsets (the simulation ignores daylight saving so local schedules stay consistent).
"""

from typing import Final, NamedTuple


class Airport(NamedTuple):
    code: str
    city: str
    state: str
    lat: float
    lon: float
    utc_offset_hours: int
    weight: float  # relative traffic


class Carrier(NamedTuple):
    code: str
    description: str
    dot_id: int
    share: float  # share of the day's flights
    kind: str  # "mainline" | "regional" | "p2p" | "island"
    hubs: tuple[str, ...]
    delay_prob: float  # probability of a carrier-caused departure delay
    delay_scale: float  # typical carrier delay, minutes
    tight_turn_share: float  # share of scheduled turnarounds of 25-45 minutes
    tail_suffix: str  # "" = numeric tails (N12345)


ET, CT, MT, PT, AK, HI = -5, -6, -7, -8, -9, -10

# fmt: off
AIRPORTS: Final[tuple[Airport, ...]] = (
    Airport("ATL", "Atlanta, GA", "GA", 33.64, -84.43, ET, 100), Airport("ORD", "Chicago, IL", "IL", 41.98, -87.90, CT, 95),
    Airport("DFW", "Dallas/Fort Worth, TX", "TX", 32.90, -97.04, CT, 90), Airport("DEN", "Denver, CO", "CO", 39.86, -104.67, MT, 70),
    Airport("LAX", "Los Angeles, CA", "CA", 33.94, -118.41, PT, 75), Airport("PHX", "Phoenix, AZ", "AZ", 33.43, -112.01, MT, 60),
    Airport("IAH", "Houston, TX", "TX", 29.98, -95.34, CT, 60), Airport("LAS", "Las Vegas, NV", "NV", 36.08, -115.15, PT, 55),
    Airport("DTW", "Detroit, MI", "MI", 42.21, -83.35, ET, 55), Airport("MSP", "Minneapolis, MN", "MN", 44.88, -93.22, CT, 55),
    Airport("EWR", "Newark, NJ", "NJ", 40.69, -74.17, ET, 50), Airport("SFO", "San Francisco, CA", "CA", 37.62, -122.38, PT, 45),
    Airport("JFK", "New York, NY", "NY", 40.64, -73.78, ET, 40), Airport("CLT", "Charlotte, NC", "NC", 35.21, -80.94, ET, 45),
    Airport("SLC", "Salt Lake City, UT", "UT", 40.79, -111.98, MT, 45), Airport("MCO", "Orlando, FL", "FL", 28.43, -81.31, ET, 40),
    Airport("BOS", "Boston, MA", "MA", 42.36, -71.01, ET, 40), Airport("LGA", "New York, NY", "NY", 40.78, -73.87, ET, 40),
    Airport("PHL", "Philadelphia, PA", "PA", 39.87, -75.24, ET, 40), Airport("SEA", "Seattle, WA", "WA", 47.45, -122.31, PT, 40),
    Airport("IAD", "Washington, DC", "VA", 38.95, -77.46, ET, 30), Airport("CVG", "Cincinnati, OH", "KY", 39.05, -84.66, ET, 35),
    Airport("MIA", "Miami, FL", "FL", 25.79, -80.29, ET, 25), Airport("BWI", "Baltimore, MD", "MD", 39.18, -76.67, ET, 30),
    Airport("MDW", "Chicago, IL", "IL", 41.79, -87.75, CT, 25), Airport("DCA", "Washington, DC", "VA", 38.85, -77.04, ET, 30),
    Airport("FLL", "Fort Lauderdale, FL", "FL", 26.07, -80.15, ET, 25), Airport("TPA", "Tampa, FL", "FL", 27.98, -82.53, ET, 25),
    Airport("SAN", "San Diego, CA", "CA", 32.73, -117.19, PT, 25), Airport("STL", "St. Louis, MO", "MO", 38.75, -90.37, CT, 22),
    Airport("MEM", "Memphis, TN", "TN", 35.04, -89.98, CT, 25), Airport("PIT", "Pittsburgh, PA", "PA", 40.49, -80.23, ET, 18),
    Airport("CLE", "Cleveland, OH", "OH", 41.41, -81.85, ET, 25), Airport("PDX", "Portland, OR", "OR", 45.59, -122.60, PT, 20),
    Airport("MCI", "Kansas City, MO", "MO", 39.30, -94.71, CT, 18), Airport("OAK", "Oakland, CA", "CA", 37.72, -122.22, PT, 18),
    Airport("SJC", "San Jose, CA", "CA", 37.36, -121.93, PT, 15), Airport("SMF", "Sacramento, CA", "CA", 38.70, -121.59, PT, 15),
    Airport("HOU", "Houston, TX", "TX", 29.65, -95.28, CT, 16), Airport("DAL", "Dallas, TX", "TX", 32.85, -96.85, CT, 12),
    Airport("AUS", "Austin, TX", "TX", 30.19, -97.67, CT, 14), Airport("SAT", "San Antonio, TX", "TX", 29.53, -98.47, CT, 14),
    Airport("MSY", "New Orleans, LA", "LA", 29.99, -90.26, CT, 14), Airport("BNA", "Nashville, TN", "TN", 36.12, -86.68, CT, 16),
    Airport("RDU", "Raleigh/Durham, NC", "NC", 35.88, -78.79, ET, 14), Airport("IND", "Indianapolis, IN", "IN", 39.72, -86.29, ET, 12),
    Airport("CMH", "Columbus, OH", "OH", 40.00, -82.89, ET, 11), Airport("MKE", "Milwaukee, WI", "WI", 42.95, -87.90, CT, 12),
    Airport("BDL", "Hartford, CT", "CT", 41.94, -72.68, ET, 9), Airport("SNA", "Santa Ana, CA", "CA", 33.68, -117.87, PT, 10),
    Airport("BUR", "Burbank, CA", "CA", 34.20, -118.36, PT, 7), Airport("ONT", "Ontario, CA", "CA", 34.06, -117.60, PT, 7),
    Airport("ABQ", "Albuquerque, NM", "NM", 35.04, -106.61, MT, 10), Airport("TUS", "Tucson, AZ", "AZ", 32.12, -110.94, MT, 7),
    Airport("ELP", "El Paso, TX", "TX", 31.81, -106.38, MT, 7), Airport("OKC", "Oklahoma City, OK", "OK", 35.39, -97.60, CT, 7),
    Airport("TUL", "Tulsa, OK", "OK", 36.20, -95.89, CT, 6), Airport("OMA", "Omaha, NE", "NE", 41.30, -95.89, CT, 8),
    Airport("RSW", "Fort Myers, FL", "FL", 26.54, -81.76, ET, 7), Airport("PBI", "West Palm Beach/Palm Beach, FL", "FL", 26.68, -80.10, ET, 7),
    Airport("JAX", "Jacksonville, FL", "FL", 30.49, -81.69, ET, 8), Airport("RIC", "Richmond, VA", "VA", 37.51, -77.32, ET, 6),
    Airport("ORF", "Norfolk, VA", "VA", 36.89, -76.20, ET, 6), Airport("BUF", "Buffalo, NY", "NY", 42.94, -78.73, ET, 6),
    Airport("ALB", "Albany, NY", "NY", 42.75, -73.80, ET, 5), Airport("ROC", "Rochester, NY", "NY", 43.12, -77.67, ET, 5),
    Airport("SYR", "Syracuse, NY", "NY", 43.11, -76.11, ET, 4), Airport("PVD", "Providence, RI", "RI", 41.72, -71.43, ET, 5),
    Airport("MHT", "Manchester, NH", "NH", 42.93, -71.44, ET, 4), Airport("PWM", "Portland, ME", "ME", 43.65, -70.31, ET, 3),
    Airport("BTV", "Burlington, VT", "VT", 44.47, -73.15, ET, 3), Airport("GSO", "Greensboro/High Point, NC", "NC", 36.10, -79.94, ET, 3),
    Airport("CHS", "Charleston, SC", "SC", 32.90, -80.04, ET, 4), Airport("SAV", "Savannah, GA", "GA", 32.13, -81.20, ET, 3),
    Airport("CAE", "Columbia, SC", "SC", 33.94, -81.12, ET, 3), Airport("GSP", "Greer, SC", "SC", 34.90, -82.22, ET, 3),
    Airport("BHM", "Birmingham, AL", "AL", 33.56, -86.75, CT, 5), Airport("HSV", "Huntsville, AL", "AL", 34.64, -86.77, CT, 3),
    Airport("LIT", "Little Rock, AR", "AR", 34.73, -92.22, CT, 4), Airport("JAN", "Jackson/Vicksburg, MS", "MS", 32.31, -90.08, CT, 3),
    Airport("SHV", "Shreveport, LA", "LA", 32.45, -93.83, CT, 2), Airport("MOB", "Mobile, AL", "AL", 30.69, -88.24, CT, 2),
    Airport("PNS", "Pensacola, FL", "FL", 30.47, -87.19, CT, 3), Airport("TLH", "Tallahassee, FL", "FL", 30.40, -84.35, ET, 2),
    Airport("LEX", "Lexington, KY", "KY", 38.04, -84.61, ET, 2), Airport("SDF", "Louisville, KY", "KY", 38.17, -85.74, ET, 5),
    Airport("DSM", "Des Moines, IA", "IA", 41.53, -93.66, CT, 4), Airport("ICT", "Wichita, KS", "KS", 37.65, -97.43, CT, 3),
    Airport("DAY", "Dayton, OH", "OH", 39.90, -84.22, ET, 3), Airport("GRR", "Grand Rapids, MI", "MI", 42.88, -85.52, ET, 3),
    Airport("MSN", "Madison, WI", "WI", 43.14, -89.34, CT, 3), Airport("GRB", "Green Bay, WI", "WI", 44.49, -88.13, CT, 2),
    Airport("FAR", "Fargo, ND", "ND", 46.92, -96.82, CT, 2), Airport("FSD", "Sioux Falls, SD", "SD", 43.58, -96.74, CT, 2),
    Airport("BIS", "Bismarck/Mandan, ND", "ND", 46.77, -100.75, CT, 1), Airport("RAP", "Rapid City, SD", "SD", 44.05, -103.05, MT, 1),
    Airport("BOI", "Boise, ID", "ID", 43.56, -116.22, MT, 5), Airport("GEG", "Spokane, WA", "WA", 47.62, -117.53, PT, 4),
    Airport("RNO", "Reno, NV", "NV", 39.50, -119.77, PT, 6), Airport("COS", "Colorado Springs, CO", "CO", 38.81, -104.70, MT, 4),
    Airport("BZN", "Bozeman, MT", "MT", 45.78, -111.15, MT, 1), Airport("MSO", "Missoula, MT", "MT", 46.92, -114.09, MT, 1),
    Airport("FAT", "Fresno, CA", "CA", 36.78, -119.72, PT, 3), Airport("SBA", "Santa Barbara, CA", "CA", 34.43, -119.84, PT, 2),
    Airport("PSP", "Palm Springs, CA", "CA", 33.83, -116.51, PT, 3), Airport("LGB", "Long Beach, CA", "CA", 33.82, -118.15, PT, 3),
    Airport("HNL", "Honolulu, HI", "HI", 21.32, -157.92, HI, 12), Airport("OGG", "Kahului, HI", "HI", 20.90, -156.43, HI, 6),
    Airport("KOA", "Kona, HI", "HI", 19.74, -156.05, HI, 3), Airport("LIH", "Lihue, HI", "HI", 21.98, -159.34, HI, 3),
    Airport("ANC", "Anchorage, AK", "AK", 61.17, -150.00, AK, 8), Airport("FAI", "Fairbanks, AK", "AK", 64.82, -147.86, AK, 1),
    Airport("JNU", "Juneau, AK", "AK", 58.35, -134.58, AK, 1), Airport("TYS", "Knoxville, TN", "TN", 35.81, -83.99, ET, 3),
    Airport("CHA", "Chattanooga, TN", "TN", 35.04, -85.20, ET, 2), Airport("XNA", "Fayetteville, AR", "AR", 36.28, -94.31, CT, 2),
    Airport("CID", "Cedar Rapids/Iowa City, IA", "IA", 41.88, -91.71, CT, 2), Airport("PIA", "Peoria, IL", "IL", 40.66, -89.69, CT, 1),
    Airport("SGF", "Springfield, MO", "MO", 37.25, -93.39, CT, 2), Airport("MAF", "Midland/Odessa, TX", "TX", 31.94, -102.20, CT, 2),
    Airport("LBB", "Lubbock, TX", "TX", 33.66, -101.82, CT, 2), Airport("AMA", "Amarillo, TX", "TX", 35.22, -101.71, CT, 1),
    Airport("CRP", "Corpus Christi, TX", "TX", 27.77, -97.50, CT, 2), Airport("BTR", "Baton Rouge, LA", "LA", 30.53, -91.15, CT, 2),
    Airport("LFT", "Lafayette, LA", "LA", 30.21, -91.99, CT, 1), Airport("MYR", "Myrtle Beach, SC", "SC", 33.68, -78.93, ET, 2),
    Airport("EYW", "Key West, FL", "FL", 24.56, -81.76, ET, 1), Airport("ASE", "Aspen, CO", "CO", 39.22, -106.87, MT, 1),
    Airport("EGE", "Eagle, CO", "CO", 39.64, -106.92, MT, 1), Airport("JAC", "Jackson, WY", "WY", 43.61, -110.74, MT, 1),
    Airport("SRQ", "Sarasota/Bradenton, FL", "FL", 27.40, -82.55, ET, 2), Airport("MDT", "Harrisburg, PA", "PA", 40.19, -76.76, ET, 2),
    Airport("ABE", "Allentown/Bethlehem/Easton, PA", "PA", 40.65, -75.44, ET, 1), Airport("AVL", "Asheville, NC", "NC", 35.44, -82.54, ET, 1),
    Airport("ROA", "Roanoke, VA", "VA", 37.33, -79.98, ET, 1), Airport("CAK", "Akron, OH", "OH", 40.92, -81.44, ET, 2),
    Airport("FWA", "Fort Wayne, IN", "IN", 40.98, -85.20, ET, 1), Airport("EVV", "Evansville, IN", "IN", 38.04, -87.53, CT, 1),
    Airport("SBN", "South Bend, IN", "IN", 41.71, -86.32, ET, 1), Airport("MLI", "Moline, IL", "IL", 41.45, -90.51, CT, 1),
)

#: 2007-era carriers with hubs and punctuality. Shares roughly follow that year's flight counts.
CARRIERS: Final[tuple[Carrier, ...]] = (
    Carrier("WN", "Southwest Airlines Co.", 19393, 0.160, "p2p", ("LAS", "PHX", "MDW", "BWI", "HOU", "DAL", "OAK", "MCO", "LAX", "SAN", "BNA", "STL", "TPA", "SMF", "SJC", "ABQ", "AUS", "SAT", "ONT", "BUR"), 0.13, 22, 0.55, "WN"),
    Carrier("AA", "American Airlines Inc.", 19805, 0.085, "mainline", ("DFW", "ORD", "MIA", "STL"), 0.18, 30, 0.15, "AA"),
    Carrier("OO", "SkyWest Airlines Inc.", 20304, 0.080, "regional", ("SLC", "LAX", "ORD", "DEN", "SFO"), 0.14, 26, 0.30, ""),
    Carrier("MQ", "American Eagle Airlines Inc.", 20398, 0.073, "regional", ("DFW", "ORD", "MIA", "LGA"), 0.21, 30, 0.30, "AE"),
    Carrier("US", "US Airways Inc.", 20355, 0.066, "mainline", ("CLT", "PHL", "PHX", "LAS"), 0.15, 28, 0.15, "US"),
    Carrier("UA", "United Air Lines Inc.", 19977, 0.065, "mainline", ("ORD", "DEN", "SFO", "IAD", "LAX"), 0.17, 30, 0.15, "UA"),
    Carrier("DL", "Delta Air Lines Inc.", 19790, 0.064, "mainline", ("ATL", "CVG", "SLC", "JFK"), 0.15, 28, 0.15, "DA"),
    Carrier("NW", "Northwest Airlines Inc.", 19386, 0.059, "mainline", ("MSP", "DTW", "MEM"), 0.15, 28, 0.15, "NW"),
    Carrier("XE", "ExpressJet Airlines Inc.", 20374, 0.053, "regional", ("IAH", "EWR", "CLE"), 0.17, 28, 0.30, ""),
    Carrier("CO", "Continental Air Lines Inc.", 19704, 0.042, "mainline", ("EWR", "IAH", "CLE"), 0.16, 30, 0.15, ""),
    Carrier("YV", "Mesa Airlines Inc.", 20378, 0.040, "regional", ("PHX", "IAD", "ORD", "DEN"), 0.17, 28, 0.30, "MJ"),
    Carrier("EV", "Atlantic Southeast Airlines", 20366, 0.039, "regional", ("ATL", "CVG", "DFW"), 0.20, 32, 0.30, "CA"),
    Carrier("FL", "AirTran Airways Corporation", 20437, 0.036, "mainline", ("ATL", "MKE", "BWI", "MCO"), 0.14, 26, 0.25, ""),
    Carrier("OH", "Comair Inc.", 20417, 0.034, "regional", ("CVG", "JFK", "ATL"), 0.21, 32, 0.30, "CA"),
    Carrier("B6", "JetBlue Airways", 20409, 0.026, "mainline", ("JFK", "BOS", "FLL", "LGB", "MCO"), 0.20, 32, 0.15, "JB"),
    Carrier("AS", "Alaska Airlines Inc.", 19930, 0.021, "mainline", ("SEA", "PDX", "ANC", "LAX"), 0.12, 26, 0.15, "AS"),
    Carrier("F9", "Frontier Airlines Inc.", 20436, 0.013, "mainline", ("DEN",), 0.13, 26, 0.20, "FR"),
    Carrier("HA", "Hawaiian Airlines Inc.", 19690, 0.007, "island", ("HNL", "OGG"), 0.05, 18, 0.40, "HA"),
)

#: Extra rows of carriers.csv (the real lookup lists every carrier ever seen).
EXTRA_CARRIERS: Final[tuple[tuple[str, str], ...]] = (
    ("9E", "Pinnacle Airlines Inc."), ("AQ", "Aloha Airlines Inc."), ("DH", "Independence Air"),
    ("EA", "Eastern Air Lines Inc."), ("HP", "America West Airlines Inc. (Merged with US Airways 9/05. Stopped reporting 10/07.)"),
    ("NK", "Spirit Air Lines"), ("PA (1)", "Pan American World Airways (1)"), ("PI", "Piedmont Aviation Inc."),
    ("PS", "Pacific Southwest Airlines"), ("TW", "Trans World Airways LLC"), ("TZ", "ATA Airlines d/b/a ATA"),
    ("VX", "Virgin America"), ("G4", "Allegiant Air"), ("02Q", "Titan Airways"), ("04Q", "Tradewind Aviation"),
)

#: State code -> (FIPS code, name, world area code), as the BTS file writes them.
STATES: Final[dict[str, tuple[str, str, int]]] = {
    "AL": ("01", "Alabama", 51), "AK": ("02", "Alaska", 1), "AZ": ("04", "Arizona", 81), "AR": ("05", "Arkansas", 71),
    "CA": ("06", "California", 91), "CO": ("08", "Colorado", 82), "CT": ("09", "Connecticut", 11), "FL": ("12", "Florida", 33),
    "GA": ("13", "Georgia", 34), "HI": ("15", "Hawaii", 2), "ID": ("16", "Idaho", 83), "IL": ("17", "Illinois", 41),
    "IN": ("18", "Indiana", 42), "IA": ("19", "Iowa", 61), "KS": ("20", "Kansas", 62), "KY": ("21", "Kentucky", 52),
    "LA": ("22", "Louisiana", 72), "ME": ("23", "Maine", 12), "MD": ("24", "Maryland", 35), "MA": ("25", "Massachusetts", 13),
    "MI": ("26", "Michigan", 43), "MN": ("27", "Minnesota", 63), "MS": ("28", "Mississippi", 53), "MO": ("29", "Missouri", 64),
    "MT": ("30", "Montana", 84), "NE": ("31", "Nebraska", 65), "NV": ("32", "Nevada", 85), "NH": ("33", "New Hampshire", 14),
    "NJ": ("34", "New Jersey", 21), "NM": ("35", "New Mexico", 86), "NY": ("36", "New York", 22), "NC": ("37", "North Carolina", 36),
    "ND": ("38", "North Dakota", 66), "OH": ("39", "Ohio", 44), "OK": ("40", "Oklahoma", 73), "OR": ("41", "Oregon", 92),
    "PA": ("42", "Pennsylvania", 23), "RI": ("44", "Rhode Island", 15), "SC": ("45", "South Carolina", 37), "SD": ("46", "South Dakota", 67),
    "TN": ("47", "Tennessee", 54), "TX": ("48", "Texas", 74), "UT": ("49", "Utah", 87), "VT": ("50", "Vermont", 16),
    "VA": ("51", "Virginia", 38), "WA": ("53", "Washington", 93), "WI": ("55", "Wisconsin", 45), "WY": ("56", "Wyoming", 88),
}

#: The BTS "Reporting Carrier On-Time Performance (1987-present)" monthly CSV: 109 named columns
#: (a trailing empty one follows in the file).
BTS_COLUMNS: Final[tuple[str, ...]] = (
    "Year", "Quarter", "Month", "DayofMonth", "DayOfWeek", "FlightDate", "Reporting_Airline",
    "DOT_ID_Reporting_Airline", "IATA_CODE_Reporting_Airline", "Tail_Number", "Flight_Number_Reporting_Airline",
    "OriginAirportID", "OriginAirportSeqID", "OriginCityMarketID", "Origin", "OriginCityName", "OriginState",
    "OriginStateFips", "OriginStateName", "OriginWac", "DestAirportID", "DestAirportSeqID", "DestCityMarketID",
    "Dest", "DestCityName", "DestState", "DestStateFips", "DestStateName", "DestWac", "CRSDepTime", "DepTime",
    "DepDelay", "DepDelayMinutes", "DepDel15", "DepartureDelayGroups", "DepTimeBlk", "TaxiOut", "WheelsOff",
    "WheelsOn", "TaxiIn", "CRSArrTime", "ArrTime", "ArrDelay", "ArrDelayMinutes", "ArrDel15",
    "ArrivalDelayGroups", "ArrTimeBlk", "Cancelled", "CancellationCode", "Diverted", "CRSElapsedTime",
    "ActualElapsedTime", "AirTime", "Flights", "Distance", "DistanceGroup", "CarrierDelay", "WeatherDelay",
    "NASDelay", "SecurityDelay", "LateAircraftDelay", "FirstDepTime", "TotalAddGTime", "LongestAddGTime",
    "DivAirportLandings", "DivReachedDest", "DivActualElapsedTime", "DivArrDelay", "DivDistance",
    *(
        f"Div{i}{part}"
        for i in range(1, 6)
        for part in ("Airport", "AirportID", "AirportSeqID", "WheelsOn", "TotalGTime", "LongestGTime", "WheelsOff", "TailNum")
    ),
)
# fmt: on
