-- One row per profile and product category viewed, up to the evaluation instant.
with clock as (
    select evaluated_at from {{ ref('int_audience_clock') }}
),

events as (
    select events.*
    from {{ ref('stg_landing__events') }} as events
    cross join clock
    where
        events.profile_id is not null
        and events.event_type = 'product_viewed'
        and events.occurred_at <= clock.evaluated_at
),

products as (
    select * from {{ ref('stg_landing__products') }}
),

final as (
    select
        events.profile_id,
        products.category,
        count(*) as view_count,
        min(events.occurred_at) as first_viewed_at,
        max(events.occurred_at) as last_viewed_at
    from events
    inner join products on events.product_id = products.product_id
    where products.category is not null
    group by events.profile_id, products.category
)

select * from final
