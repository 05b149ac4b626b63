-- Each landed row is either staged or counted as excluded in landing_data_issues.
{%- set tables = {
    'profiles': 'profiles',
    'events': 'events',
    'orders': 'orders',
    'order_lines': 'order_lines',
    'products': 'products',
    'product_prices': 'product_prices',
    'consent': 'consents',
} %}

with staged as (
    {%- for table, entity in tables.items() %}
    select
        '{{ table }}' as table_name,
        count(*) as staged_row_count
    from {{ ref('stg_landing__' ~ entity) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

landed as (
    {%- for table, entity in tables.items() %}
    select
        '{{ table }}' as table_name,
        count(*) as landed_row_count
    from {{ ref('base_landing__' ~ entity) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

excluded as (
    select
        table_name,
        sum(row_count) as excluded_row_count
    from {{ ref('landing_data_issues') }}
    where handling = 'excluded'
    group by table_name
),

compared as (
    select
        landed.table_name,
        landed.landed_row_count,
        staged.staged_row_count,
        coalesce(excluded.excluded_row_count, 0) as excluded_row_count
    from landed
    inner join staged on landed.table_name = staged.table_name
    left join excluded on landed.table_name = excluded.table_name
)

select * from compared
where landed_row_count != staged_row_count + excluded_row_count
