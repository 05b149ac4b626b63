"""The online-retail model in DuckDB SQL: source lines to landing tables, in source time.

Every statement builds a temp table whose instants are the real (unshifted) UTC instants in a
column named `source_at` (or the table's own instant column); the loader shifts and windows them
on the way out. Every made-up value is a function of source keys through `h()`, never random.
"""

from __future__ import annotations

LOOKUP_TABLES = (
    "create temp table countries (country varchar, country_code varchar, time_zone varchar)",
    "create temp table non_merchandise_codes (product_id varchar)",
    "create temp table category_patterns (position integer, category varchar, pattern varchar)",
    "create temp table consent_thresholds (channel varchar, threshold integer)",
    "create temp table name_lists (first_names varchar[], last_names varchar[])",
)

# Parameters: source file path. `line_number` follows the row order of the source file, the
# only order the source gives for lines within an invoice.
SOURCE_LINES = """
create temp table source_lines as
select
    file_row_number as source_row,
    "InvoiceNo" as order_id,
    "StockCode" as product_id,
    "Description" as description,
    "Quantity" as quantity,
    "UnitPrice" as unit_price,
    cast("CustomerID" as varchar) as profile_id,
    "CustomerID" as customer_number,
    case when "CustomerID" is null then 'anon-' || "InvoiceNo" end as anonymous_id,
    "Country" as country,
    cast("InvoiceDate" as date) as source_day,
    timezone('Europe/London', "InvoiceDate") as source_at,
    starts_with("InvoiceNo", 'C') as is_refund,
    -- 'A' documents adjust bad debt: neither a sale nor a refund.
    regexp_matches("InvoiceNo", '^[0-9]') as is_sale,
    row_number() over (partition by "InvoiceNo" order by file_row_number) as line_number
from read_parquet(?, file_row_number = true)
"""

CUSTOMERS = """
create temp table customers as
select
    profile_id,
    min(customer_number) as customer_number,
    min(source_at) as first_at,
    max(source_at) as last_at,
    min(source_day) as first_day,
    first(country order by source_at, source_row) as country
from source_lines
where profile_id is not null
group by profile_id
"""

PROFILES = """
create temp table profiles as
select
    customers.profile_id,
    'c' || customers.profile_id || '@example.com' as email,
    '+447700' || (900000 + customers.customer_number % 1000) as phone,
    name_lists.first_names[
        1 + cast(h('first:' || customers.profile_id) % len(name_lists.first_names) as integer)
    ] as first_name,
    name_lists.last_names[
        1 + cast(h('last:' || customers.profile_id) % len(name_lists.last_names) as integer)
    ] as last_name,
    countries.country_code,
    countries.time_zone,
    customers.first_at as created_at
from customers
cross join name_lists
left join countries on customers.country = countries.country
"""

# Opt-in or refusal per channel at the first purchase, then a later revocation of email consent
# for a few opted-in customers, somewhere inside their active period.
CONSENT = """
create temp table consent as
with initial as (
    select
        customers.profile_id,
        thresholds.channel,
        h(thresholds.channel || ':' || customers.profile_id) % 100 < thresholds.threshold
            as is_opted_in,
        customers.first_at as recorded_at,
        'checkout' as source
    from customers
    cross join consent_thresholds as thresholds
),

revocations as (
    select
        initial.profile_id,
        initial.channel,
        false as is_opted_in,
        customers.first_at + interval 1 hour + to_microseconds(cast(
            (epoch_us(customers.last_at) - epoch_us(customers.first_at))
            * (1 + h('revoke-at:' || customers.profile_id) % 9) / 10 as bigint
        )) as recorded_at,
        'preference_centre' as source
    from initial
    inner join customers on initial.profile_id = customers.profile_id
    where
        initial.channel = 'email'
        and initial.is_opted_in
        and h('revoke:' || initial.profile_id) % 100 < 5
)

select * from initial
union all
select * from revocations
"""

ORDERS = """
create temp table orders as
select
    lines.order_id,
    first(lines.profile_id order by lines.source_row) as profile_id,
    first(lines.anonymous_id order by lines.source_row) as anonymous_id,
    first(lines.source_at order by lines.source_row) as source_at,
    first(lines.source_day order by lines.source_row) as source_day,
    bool_or(lines.is_refund) as is_refund,
    bool_or(lines.is_sale) as is_sale,
    first(countries.country_code order by lines.source_row) as country_code
from source_lines as lines
left join countries on lines.country = countries.country
group by lines.order_id
"""

PRODUCTS = """
create temp table products as
with descriptions as (
    select product_id, description, count(*) as uses
    from source_lines
    where description is not null
    group by product_id, description
),

names as (
    select product_id, description as name
    from descriptions
    qualify row_number() over (partition by product_id order by uses desc, description) = 1
),

categories as (
    select names.product_id, arg_min(patterns.category, patterns.position) as category
    from names
    inner join category_patterns as patterns on regexp_matches(lower(names.name), patterns.pattern)
    group by names.product_id
),

codes as (select distinct product_id from source_lines)

select
    codes.product_id,
    names.name,
    coalesce(categories.category, 'other') as category,
    codes.product_id not in (select product_id from non_merchandise_codes)
    and codes.product_id not like 'gift\\_%' escape '\\' as is_merchandise
from codes
left join names on codes.product_id = names.product_id
left join categories on codes.product_id = categories.product_id
"""

# The day's most common price paid by known customers; a row only when it changed.
PRODUCT_PRICES = """
create temp table product_prices as
with daily as (
    select lines.product_id, lines.source_day, lines.unit_price, count(*) as uses
    from source_lines as lines
    inner join products on lines.product_id = products.product_id
    where
        lines.profile_id is not null
        and lines.quantity > 0
        and lines.is_sale
        and products.is_merchandise
    group by lines.product_id, lines.source_day, lines.unit_price
),

modal as (
    select product_id, source_day, unit_price
    from daily
    qualify row_number() over (
        partition by product_id, source_day order by uses desc, unit_price
    ) = 1
),

compared as (
    select
        *,
        lag(unit_price) over (partition by product_id order by source_day) as previous_price
    from modal
)

select
    product_id,
    cast(unit_price as decimal(18, 3)) as price,
    timezone('UTC', cast(source_day as timestamp)) as valid_from
from compared
where previous_price is distinct from unit_price
"""
