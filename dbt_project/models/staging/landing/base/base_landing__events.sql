-- Every landed event row, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select *
    from {{ read_landing('events', optional_columns={
        'original_occurred_at': 'varchar',
        'is_synthetic': 'boolean',
    }) }}
),

typed as (
    select
        {{ landing_text('event_id') }} as event_id,
        {{ landing_text('profile_id') }} as profile_id,
        {{ landing_text('anonymous_id') }} as anonymous_id,
        lower({{ landing_text('event_type') }}) as event_type,
        lower({{ landing_text('channel') }}) as channel,
        {{ landing_instant('occurred_at') }} as occurred_at,
        {{ landing_text('product_id') }} as product_id,
        {{ landing_text('order_id') }} as order_id,
        {{ landing_instant('original_occurred_at') }} as original_occurred_at,
        coalesce(cast(is_synthetic as boolean), false) as is_synthetic,
        (
            {{ landing_instant_is_naive('occurred_at') }}
            or {{ landing_instant_is_naive('original_occurred_at') }}
        ) as has_naive_timestamp,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by event_id order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when event_id is null then 'missing_event_id'
            when occurred_at is null then 'missing_occurred_at'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
