with products as (
    select * from {{ ref('base_landing__products') }}
    where exclusion_reason is null
),

final as (
    select
        product_id,
        coalesce(product_name, 'Unknown product ' || product_id) as product_name,
        product_name is null as is_name_missing,
        category,
        -- Unknown means a real product: only postage, fees and adjustments say false.
        coalesce(is_merchandise, true) as is_merchandise,
        _batch_name
    from products
)

select * from final
