with order_lines as (
    select * from {{ ref('base_landing__order_lines') }}
    where exclusion_reason is null
),

final as (
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        quantity * unit_price as line_amount,
        coalesce(quantity < 0, false) as is_negative_quantity,
        -- Why a line does not count as revenue; NULL when it does.
        case
            when quantity is null then 'missing_quantity'
            when unit_price is null then 'missing_price'
            when unit_price = 0 then 'zero_price'
            when unit_price < 0 then 'negative_price'
        end as revenue_exclusion_reason,
        _batch_name
    from order_lines
)

select * from final
