-- One row per landing table and issue kind: every landed row that staging excluded or flagged.
{%- set tables = {
    'profiles': 'profiles',
    'events': 'events',
    'orders': 'orders',
    'order_lines': 'order_lines',
    'products': 'products',
    'product_prices': 'product_prices',
    'consent': 'consents',
} %}

{#- (table, issue, how it is handled, condition on the staged row) -#}
{%- set flags = [
    ('profiles', 'missing_email', 'flagged', 'is_email_missing'),
    ('profiles', 'missing_country_code', 'flagged', 'country_code is null'),
    ('profiles', 'missing_time_zone', 'flagged', 'time_zone is null'),
    ('profiles', 'naive_timestamp_read_as_utc', 'flagged', 'has_naive_timestamp'),
    ('events', 'anonymous_event', 'flagged', 'is_anonymous'),
    ('events', 'unknown_event_type', 'flagged', 'not is_known_event_type'),
    ('events', 'missing_channel', 'flagged', 'channel is null'),
    ('events', 'unknown_channel', 'flagged', 'channel is not null and not is_known_channel'),
    ('events', 'naive_timestamp_read_as_utc', 'flagged', 'has_naive_timestamp'),
    ('orders', 'guest_order', 'flagged', 'is_guest_order'),
    ('orders', 'refund_or_cancellation', 'flagged', 'is_refund'),
    ('orders', 'naive_timestamp_read_as_utc', 'flagged', 'has_naive_timestamp'),
    ('order_lines', 'negative_quantity', 'flagged', 'is_negative_quantity'),
    ('order_lines', 'zero_price', 'excluded_from_revenue', "revenue_exclusion_reason = 'zero_price'"),
    ('order_lines', 'negative_price', 'excluded_from_revenue', "revenue_exclusion_reason = 'negative_price'"),
    ('order_lines', 'missing_price', 'excluded_from_revenue', "revenue_exclusion_reason = 'missing_price'"),
    ('order_lines', 'missing_quantity', 'excluded_from_revenue', "revenue_exclusion_reason = 'missing_quantity'"),
    ('products', 'missing_product_name', 'flagged', 'is_name_missing'),
    ('products', 'not_merchandise', 'excluded_from_revenue', 'not is_merchandise'),
    ('product_prices', 'non_positive_price', 'flagged', 'is_non_positive_price'),
    ('product_prices', 'naive_timestamp_read_as_utc', 'flagged', 'has_naive_timestamp'),
    ('consent', 'naive_timestamp_read_as_utc', 'flagged', 'has_naive_timestamp'),
] %}

with

{% for table, entity in tables.items() %}
landed_{{ table }} as (
    select * from {{ ref('base_landing__' ~ entity) }}
),

staged_{{ table }} as (
    select * from {{ ref('stg_landing__' ~ entity) }}
),

{% endfor %}

landed_counts as (
    {%- for table in tables %}
    select
        '{{ table }}' as table_name,
        count(*) as landed_row_count
    from landed_{{ table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

excluded as (
    {%- for table in tables %}
    select
        '{{ table }}' as table_name,
        exclusion_reason as issue,
        'excluded' as handling,
        count(*) as row_count
    from landed_{{ table }}
    where exclusion_reason is not null
    group by exclusion_reason
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

flagged as (
    {%- for table, issue, handling, condition in flags %}
    select
        '{{ table }}' as table_name,
        '{{ issue }}' as issue,
        '{{ handling }}' as handling,
        count(*) as row_count
    from staged_{{ table }}
    where coalesce({{ condition }}, false)
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

issues as (
    select * from excluded
    union all
    select * from flagged
),

final as (
    select
        issues.table_name,
        issues.issue,
        issues.handling,
        issues.row_count,
        landed_counts.landed_row_count
    from issues
    inner join landed_counts on issues.table_name = landed_counts.table_name
)

select * from final
