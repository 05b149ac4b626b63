"""SQL of the synthetic generator: made-up profiles and their day-by-day activity.

Every value is a function of the seed, the profile number and the calendar day, so a day's
activity is the same whether it is landed with the history or on its own. Statements read their
settings from the one-row temp table `settings`.
"""

from __future__ import annotations

MACROS = (
    # 64 bits of sha256 for the few values per profile, visit or order.
    "create or replace macro h64(k) as ('0x' || substr(sha256(k), 1, 16))::ubigint",
    # A cheap integer mixer (stable arithmetic, not a hash function of the engine) for the one
    # roll per profile and day that decides whether the profile visits at all.
    """create or replace macro mix32(x) as (
        xor((xor(x >> 16, x) * 73244475 % 4294967296) >> 16,
            xor(x >> 16, x) * 73244475 % 4294967296) * 73244475 % 4294967296
    )""",
)

PEOPLE = """
create or replace temp table people as
select
    i,
    'syn-' || lpad(cast(i as varchar), 8, '0') as profile_id,
    h64(settings.seed || ':profile:' || i) as roll,
    h(settings.seed || ':day:' || i) as day_salt
from settings, range(settings.profile_from, settings.profile_to) as numbers(i)
"""

PROFILES = """
select
    people.profile_id,
    'syn' || people.i || '@example.com' as email,
    '+447700' || (900000 + people.i % 1000) as phone,
    settings.first_names[1 + cast(people.roll % len(settings.first_names) as integer)]
        as first_name,
    settings.last_names[1 + cast((people.roll >> 8) % len(settings.last_names) as integer)]
        as last_name,
    case when (people.roll >> 16) % 100 < 85 then 'GB' else 'IE' end as country_code,
    case when (people.roll >> 16) % 100 < 85 then 'Europe/London' else 'Europe/Dublin' end
        as time_zone,
    timezone('UTC', cast(settings.today - cast(31 + (people.roll >> 24) % 700 as integer)
        as timestamp)) + to_seconds(cast((people.roll >> 40) % 86400 as bigint)) as created_at,
    true as is_synthetic
from people, settings
"""

# One row per profile and day of the window, and the day before it, that has a visit.
VISITS = """
create or replace temp table visits as
with days as (
    select cast(unnest(generate_series(
        cast(settings.first_day - 1 as timestamp), cast(settings.last_day as timestamp),
        interval 1 day
    )) as date) as day
    from settings
),

rolled as (
    select
        people.i,
        people.profile_id,
        people.roll,
        days.day,
        mix32(cast(
            (people.day_salt + (days.day - date '1970-01-01') * 2654435761) % 4294967296 as ubigint
        )) as dice
    from people, days
),

active as (
    select * from rolled where dice % 1000 < 10 + (roll >> 48) % 60
)

select
    active.i,
    active.profile_id,
    active.day,
    h64(settings.seed || ':visit:' || active.i || ':' || active.day) as detail,
    (active.roll >> 56) % 100 < 40 as uses_app
from active, settings
"""

# A visit adds one product to the cart 35 % of the time and buys it in 55 % of those; a
# profile that abandoned a cart returns the next day and buys that product half the time.
VISIT_OUTCOMES = """
create or replace temp table visit_outcomes as
with shaped as (
    select
        visits.*,
        timezone('UTC', cast(visits.day as timestamp))
            + to_minutes(cast(420 + (visits.detail >> 20) % 900 as bigint)) as visited_at,
        'sku-' || lpad(cast((visits.detail >> 32) % settings.products as varchar), 5, '0')
            as cart_product,
        (visits.detail >> 2) % 100 < 35 as has_cart_add,
        (visits.detail >> 9) % 100 < 55 as has_order
    from visits, settings
),

returns as (
    select
        shaped.i,
        shaped.profile_id,
        shaped.day + 1 as day,
        shaped.detail >> 1 as detail,
        shaped.uses_app,
        timezone('UTC', cast(shaped.day + 1 as timestamp))
            + to_minutes(cast(480 + (shaped.detail >> 44) % 600 as bigint)) as visited_at,
        shaped.cart_product,
        true as has_cart_add,
        true as has_order
    from shaped
    where shaped.has_cart_add and not shaped.has_order and (shaped.detail >> 58) % 2 = 0
)

select *, 'v' as kind from shaped
union all
select *, 'r' as kind from returns
"""

WINDOW = "where day between (select first_day from settings) and (select last_day from settings)"

EVENTS = f"""
with outcomes as (select * from visit_outcomes {WINDOW}),

key as (
    select *, 'syn-' || profile_id || '-' || strftime(day, '%Y%m%d') || kind as event_key
    from outcomes
)

select event_key || '-session' as event_id, profile_id, null as anonymous_id,
    'session_started' as event_type, 'web' as channel, visited_at as occurred_at,
    null as product_id, null as order_id, true as is_synthetic
from key
union all
select event_key || '-app', profile_id, null, 'app_opened', 'app',
    visited_at - interval 1 minute, null, null, true
from key where uses_app
union all
select event_key || '-view' || view_number, profile_id, null, 'product_viewed', 'web',
    visited_at + to_minutes(view_number),
    case when view_number = 1 then cart_product else
        'sku-' || lpad(cast((detail >> (20 + view_number)) % products as varchar), 5, '0') end,
    null, true
from (
    select key.*, settings.products,
        unnest(range(1, cast(2 + (key.detail >> 14) % 4 as bigint))) as view_number
    from key, settings
)
union all
select event_key || '-add', profile_id, null, 'product_added', 'web',
    visited_at + interval 8 minute, cart_product, null, true
from key where has_cart_add
union all
select event_key || '-order', profile_id, null, 'order_completed', 'web',
    visited_at + interval 12 minute, null, 'so-' || profile_id || '-' || strftime(day, '%Y%m%d')
    || kind, true
from key where has_cart_add and has_order
"""

# Orders of the window's visits, and older orders (before the window) for win-back and value.
ORDERS = f"""
create or replace temp table synthetic_orders as
select
    'so-' || profile_id || '-' || strftime(day, '%Y%m%d') || kind as order_id,
    profile_id,
    visited_at + interval 12 minute as ordered_at,
    cart_product as product_id,
    cast(1 + detail % 3 as integer) as quantity
from visit_outcomes
{WINDOW} and has_cart_add and has_order
union all
select
    'so-' || profile_id || '-h' || order_number,
    profile_id,
    timezone('UTC', cast(settings.today - cast(31 + h64(settings.seed || ':old:' || i || ':'
        || order_number) % (1 + (roll >> 24) % 700) as integer) as timestamp)) + interval 14 hour,
    'sku-' || lpad(cast((roll >> order_number) % settings.products as varchar), 5, '0'),
    cast(1 + (roll >> 3) % 4 as integer)
from (
    select people.*, unnest(range(cast((people.roll >> 4) % 5 as bigint))) as order_number
    from people, settings
    where settings.with_history
), settings
"""

CATALOGUE = """
create or replace temp table catalogue as
select
    'sku-' || lpad(cast(j as varchar), 5, '0') as product_id,
    settings.categories[1 + cast(j % len(settings.categories) as integer)] as category,
    cast(1 + h(settings.seed || ':price:' || j) % 4000 / 100 as decimal(18, 2)) as base_price
from settings, range(settings.products) as numbers(j)
"""

# A product is 20 % off on a day with a 3 % chance; a row whenever the day's price changes.
PRICE_CHANGES = """
with days as (
    select cast(unnest(generate_series(
        cast(settings.first_day - 1 as timestamp), cast(settings.last_day as timestamp),
        interval 1 day
    )) as date) as day
    from settings
),

daily as (
    select
        catalogue.product_id,
        days.day,
        case when h(settings.seed || ':drop:' || catalogue.product_id || ':' || days.day) % 100 < 3
            then cast(catalogue.base_price * 0.8 as decimal(18, 2))
            else catalogue.base_price end as price
    from catalogue, days, settings
),

compared as (
    select *, lag(price) over (partition by product_id order by day) as previous_price
    from daily
)

select product_id, price, 'GBP' as currency,
    timezone('UTC', cast(day as timestamp)) as valid_from, true as is_synthetic
from compared, settings
where day >= settings.first_day and (price <> previous_price or settings.with_history
    and day = settings.first_day)
"""
