-- The instant every audience is evaluated at: the stated `as_of`, else the data watermark.
-- Never the wall clock, so the same inputs always give the same membership.
with events as (
    select occurred_at from {{ ref('stg_landing__events') }}
),

watermark as (
    select max(occurred_at) as data_watermark_at
    from events
),

final as (
    select
        {%- if var('as_of') %}
        {{ landing_instant(sql_string(var('as_of'))) }} as evaluated_at,
        true as is_stated,
        {%- else %}
        data_watermark_at as evaluated_at,
        false as is_stated,
        {%- endif %}
        data_watermark_at
    from watermark
)

select * from final
