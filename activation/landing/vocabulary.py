"""Fixed lookup data for the online-retail loader: countries, zones, names, product codes."""

from __future__ import annotations

# Country names as the source spells them -> (ISO 3166-1 alpha-2, IANA zone). Names that are no
# country ('Unspecified', 'European Community') map to nothing and are counted as unknown. A
# country spanning several zones gets the zone most of its people live in.
COUNTRIES: dict[str, tuple[str | None, str | None]] = {
    "Australia": ("AU", "Australia/Sydney"),
    "Austria": ("AT", "Europe/Vienna"),
    "Bahrain": ("BH", "Asia/Bahrain"),
    "Belgium": ("BE", "Europe/Brussels"),
    "Brazil": ("BR", "America/Sao_Paulo"),
    "Canada": ("CA", "America/Toronto"),
    # Jersey and Guernsey have separate codes; the source does not say which, but both keep
    # UK time, so the zone is certain while the country is not.
    "Channel Islands": (None, "Europe/London"),
    "Cyprus": ("CY", "Asia/Nicosia"),
    "Czech Republic": ("CZ", "Europe/Prague"),
    "Denmark": ("DK", "Europe/Copenhagen"),
    "EIRE": ("IE", "Europe/Dublin"),
    "European Community": (None, None),
    "Finland": ("FI", "Europe/Helsinki"),
    "France": ("FR", "Europe/Paris"),
    "Germany": ("DE", "Europe/Berlin"),
    "Greece": ("GR", "Europe/Athens"),
    "Hong Kong": ("HK", "Asia/Hong_Kong"),
    "Iceland": ("IS", "Atlantic/Reykjavik"),
    "Israel": ("IL", "Asia/Jerusalem"),
    "Italy": ("IT", "Europe/Rome"),
    "Japan": ("JP", "Asia/Tokyo"),
    "Lebanon": ("LB", "Asia/Beirut"),
    "Lithuania": ("LT", "Europe/Vilnius"),
    "Malta": ("MT", "Europe/Malta"),
    "Netherlands": ("NL", "Europe/Amsterdam"),
    "Norway": ("NO", "Europe/Oslo"),
    "Poland": ("PL", "Europe/Warsaw"),
    "Portugal": ("PT", "Europe/Lisbon"),
    "RSA": ("ZA", "Africa/Johannesburg"),
    "Saudi Arabia": ("SA", "Asia/Riyadh"),
    "Singapore": ("SG", "Asia/Singapore"),
    "Spain": ("ES", "Europe/Madrid"),
    "Sweden": ("SE", "Europe/Stockholm"),
    "Switzerland": ("CH", "Europe/Zurich"),
    "USA": ("US", "America/New_York"),
    "United Arab Emirates": ("AE", "Asia/Dubai"),
    "United Kingdom": ("GB", "Europe/London"),
    "Unspecified": (None, None),
}

FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Emily", "Sophie",
    "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Thomas",
)  # fmt: skip

LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
)  # fmt: skip

# Stock codes that are postage, fees, samples or bookkeeping rather than goods. Gift vouchers
# (`gift_0001_*`) are a means of payment, so they are not merchandise either.
NON_MERCHANDISE_CODES = (
    "POST", "DOT", "M", "m", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "B",
)  # fmt: skip
NON_MERCHANDISE_PATTERN = "gift\\_%"

# The first matching pattern names the category; order matters ("christmas lights" is christmas).
CATEGORY_PATTERNS = (
    ("christmas", "christmas|xmas|advent|santa|reindeer|nativity|bauble|snowflake"),
    ("bags", "\\bbags?\\b|purse|tote|backpack|rucksack"),
    ("candles and lights", "candle|t-light|tealight|light|lantern|lamp"),
    ("kitchen", "mug|cup|plate|bowl|cake|baking|kitchen|tea towel|jar|teapot|spoon|lunch box"),
    ("garden", "garden|plant|flower pot|bird|watering|herb"),
    ("stationery", "card|paper|pencil|pen |notebook|wrap|sticker|tape|envelope|journal"),
    ("toys", "toy|game|doll|puzzle|skipping rope|spaceboy|playhouse|crayon"),
    ("jewellery", "necklace|bracelet|earring|ring|jewel|brooch|hair clip|charm"),
    ("home decor", "frame|cushion|sign|clock|mirror|decoration|wall|heart|vase|doormat"),
)
