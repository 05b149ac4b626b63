-- One row per profile with at least one order up to the evaluation instant.
with orders as (
    select * from {{ ref('int_orders_with_revenue') }}
    where profile_id is not null
),

final as (
    select
        profile_id,
        cast(sum(case when is_refund then 0 else 1 end) as bigint) as order_count,
        cast(sum(case when is_refund then 1 else 0 end) as bigint) as refund_count,
        min(case when not is_refund then ordered_at end) as first_order_at,
        max(case when not is_refund then ordered_at end) as last_order_at,
        -- Refunds carry negative amounts, so this is revenue net of refunds.
        sum(net_revenue) as lifetime_net_revenue
    from orders
    group by profile_id
)

select * from final
