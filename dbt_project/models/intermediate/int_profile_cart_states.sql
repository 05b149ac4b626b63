-- One row per profile that ever added to cart: the last add, what is still in the cart,
-- and whether a purchase followed, all as of the evaluation instant.
with clock as (
    select evaluated_at from {{ ref('int_audience_clock') }}
),

events as (
    select events.*
    from {{ ref('stg_landing__events') }} as events
    cross join clock
    where
        events.profile_id is not null
        and events.occurred_at <= clock.evaluated_at
),

orders as (
    select * from {{ ref('int_orders_with_revenue') }}
    where profile_id is not null and not is_refund
),

prices as (
    select * from {{ ref('stg_landing__product_prices') }}
),

-- A purchase is known from either the order feed or the order_completed event.
purchases as (
    select
        profile_id,
        occurred_at as purchased_at
    from events
    where event_type = 'order_completed'
    union all
    select
        profile_id,
        ordered_at as purchased_at
    from orders
),

last_purchases as (
    select
        profile_id,
        max(purchased_at) as last_purchased_at
    from purchases
    group by profile_id
),

cart_adds as (
    select
        event_id,
        profile_id,
        product_id,
        occurred_at
    from events
    where event_type = 'product_added'
),

-- The list price in force when the product was added.
priced_cart_adds as (
    select
        cart_adds.event_id,
        prices.price,
        row_number() over (
            partition by cart_adds.event_id order by prices.valid_from desc
        ) as price_rank
    from cart_adds
    inner join prices
        on
            cart_adds.product_id = prices.product_id
            and cart_adds.occurred_at >= prices.valid_from
),

open_cart_adds as (
    select
        cart_adds.profile_id,
        cart_adds.event_id,
        priced_cart_adds.price
    from cart_adds
    left join last_purchases on cart_adds.profile_id = last_purchases.profile_id
    left join priced_cart_adds
        on
            cart_adds.event_id = priced_cart_adds.event_id
            and priced_cart_adds.price_rank = 1
    where
        last_purchases.last_purchased_at is null
        or cart_adds.occurred_at > last_purchases.last_purchased_at
),

open_carts as (
    select
        profile_id,
        count(*) as open_cart_item_count,
        sum(coalesce(price, 0)) as open_cart_value
    from open_cart_adds
    group by profile_id
),

last_cart_adds as (
    select
        profile_id,
        max(occurred_at) as last_cart_added_at
    from cart_adds
    group by profile_id
),

final as (
    select
        last_cart_adds.profile_id,
        last_cart_adds.last_cart_added_at,
        last_purchases.last_purchased_at,
        coalesce(
            last_purchases.last_purchased_at >= last_cart_adds.last_cart_added_at, false
        ) as has_purchase_after_cart_add,
        coalesce(open_carts.open_cart_item_count, 0) as open_cart_item_count,
        coalesce(open_carts.open_cart_value, 0) as open_cart_value
    from last_cart_adds
    left join last_purchases on last_cart_adds.profile_id = last_purchases.profile_id
    left join open_carts on last_cart_adds.profile_id = open_carts.profile_id
)

select * from final
