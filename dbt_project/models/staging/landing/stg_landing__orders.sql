with orders as (
    select * from {{ ref('base_landing__orders') }}
    where exclusion_reason is null
),

final as (
    select
        order_id,
        profile_id,
        anonymous_id,
        ordered_at,
        is_refund,
        currency,
        country_code,
        original_ordered_at,
        is_synthetic,
        -- A guest checkout is kept for revenue totals but belongs to no profile.
        profile_id is null as is_guest_order,
        has_naive_timestamp,
        _batch_name
    from orders
)

select * from final
