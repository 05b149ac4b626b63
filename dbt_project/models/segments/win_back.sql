-- Has ordered before, but not in the 90 days up to the evaluation instant.
with profiles as (
    select * from {{ ref('profiles') }}
),

lapsed_customers as (
    select
        profile_id,
        first_name,
        last_order_at,
        order_count,
        lifetime_net_revenue as lifetime_value
    from profiles
    where
        last_order_at is not null
        and last_order_at <= evaluated_at - interval (90 * 24) hour
)

select * from lapsed_customers
