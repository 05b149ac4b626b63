-- Net revenue (refunds deducted) of at least `high_value_min_revenue` in the last 365 days.
with orders as (
    select * from {{ ref('orders') }}
),

profiles as (
    select * from {{ ref('profiles') }}
),

clock as (
    select evaluated_at from {{ ref('audience_clock') }}
),

recent_revenue as (
    select
        orders.profile_id,
        sum(orders.net_revenue) as revenue_last_365_days,
        cast(sum(case when orders.is_refund then 0 else 1 end) as bigint) as orders_last_365_days
    from orders
    cross join clock
    where
        orders.profile_id is not null
        and orders.ordered_at > clock.evaluated_at - interval (365 * 24) hour
        and orders.ordered_at <= clock.evaluated_at
    group by orders.profile_id
),

high_value as (
    select
        profiles.profile_id,
        profiles.first_name,
        recent_revenue.revenue_last_365_days,
        recent_revenue.orders_last_365_days,
        profiles.lifetime_net_revenue as lifetime_value
    from recent_revenue
    inner join profiles on recent_revenue.profile_id = profiles.profile_id
    where recent_revenue.revenue_last_365_days >= {{ var('high_value_min_revenue', 1000) }}
)

select * from high_value
