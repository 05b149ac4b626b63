with product_prices as (
    select * from {{ ref('base_landing__product_prices') }}
    where exclusion_reason is null
),

final as (
    select
        product_id,
        valid_from,
        price,
        currency,
        is_synthetic,
        price <= 0 as is_non_positive_price,
        has_naive_timestamp,
        _batch_name
    from product_prices
)

select * from final
