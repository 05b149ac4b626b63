-- Every landed consent row, typed, with the reason it is excluded from staging (if it is).
with landed as (
    select *
    from {{ read_landing('consent', optional_columns={
        'source': 'varchar',
        'is_synthetic': 'boolean',
    }) }}
),

typed as (
    select
        {{ landing_text('profile_id') }} as profile_id,
        lower({{ landing_text('channel') }}) as channel,
        cast(is_opted_in as boolean) as is_opted_in,
        {{ landing_instant('recorded_at') }} as recorded_at,
        {{ landing_text('source') }} as consent_source,
        coalesce(cast(is_synthetic as boolean), false) as is_synthetic,
        {{ landing_instant_is_naive('recorded_at') }} as has_naive_timestamp,
        _batch_name,
        _source_file
    from landed
),

ranked as (
    select
        *,
        row_number() over (
            partition by profile_id, channel, recorded_at
            order by _batch_name desc, _source_file desc
        ) as batch_rank
    from typed
),

classified as (
    select
        *,
        case
            when profile_id is null then 'missing_profile_id'
            when channel is null then 'missing_channel'
            when channel not in ('email', 'sms', 'push', 'ads') then 'unknown_channel'
            when recorded_at is null then 'missing_recorded_at'
            -- A row that says nothing must not mask an older answer.
            when is_opted_in is null then 'missing_opt_in'
            when batch_rank > 1 then 'superseded_by_newer_batch'
        end as exclusion_reason
    from ranked
)

select * from classified
