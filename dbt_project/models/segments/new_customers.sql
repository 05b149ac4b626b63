-- Placed a first order in the 7 days up to the evaluation instant.
with profiles as (
    select * from {{ ref('profiles') }}
),

newcomers as (
    select
        profile_id,
        first_name,
        first_order_at,
        lifetime_net_revenue as lifetime_value
    from profiles
    where
        first_order_at > evaluated_at - interval (7 * 24) hour
        and first_order_at <= evaluated_at
)

select * from newcomers
