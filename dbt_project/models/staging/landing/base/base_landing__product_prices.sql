-- Every landed price row, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select *
    from {{ read_landing('product_prices', optional_columns={'is_synthetic': 'boolean'}) }}
),

typed as (
    select
        {{ landing_text('product_id') }} as product_id,
        cast(price as decimal(18, 4)) as price,
        upper({{ landing_text('currency') }}) as currency,
        {{ landing_instant('valid_from') }} as valid_from,
        coalesce(cast(is_synthetic as boolean), false) as is_synthetic,
        {{ landing_instant_is_naive('valid_from') }} as has_naive_timestamp,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by product_id, valid_from order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when product_id is null then 'missing_product_id'
            when valid_from is null then 'missing_valid_from'
            when price is null then 'missing_price'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
