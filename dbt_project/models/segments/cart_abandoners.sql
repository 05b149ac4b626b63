-- Added to cart in the 24 hours up to the evaluation instant and has not bought since.
with profiles as (
    select * from {{ ref('profiles') }}
),

abandoners as (
    select
        profile_id,
        first_name,
        open_cart_value as cart_value,
        open_cart_item_count as cart_item_count,
        last_cart_added_at
    from profiles
    where
        last_cart_added_at > evaluated_at - interval 24 hour
        and last_cart_added_at <= evaluated_at
        and not has_purchase_after_cart_add
)

select * from abandoners
