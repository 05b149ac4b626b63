"""Landing files per the landing contract: the online-retail loader, synthetic data, OTTO events."""

from activation.landing.contract import TABLES, LandingCheck, check_landing, validate_landing
from activation.landing.online_retail import (
    LandingReport,
    SourceDataMissingError,
    default_source_dir,
    land_online_retail,
    last_source_day_start,
)
from activation.landing.otto import land_otto_sessions
from activation.landing.synthetic import generate_synthetic, generate_synthetic_day

__all__ = [
    "TABLES",
    "LandingCheck",
    "LandingReport",
    "SourceDataMissingError",
    "check_landing",
    "default_source_dir",
    "generate_synthetic",
    "generate_synthetic_day",
    "land_online_retail",
    "land_otto_sessions",
    "last_source_day_start",
    "validate_landing",
]
