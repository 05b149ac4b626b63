with consent as (
    select * from {{ ref('base_landing__consents') }}
    where exclusion_reason is null
),

final as (
    select
        profile_id,
        channel,
        is_opted_in,
        recorded_at,
        consent_source,
        is_synthetic,
        has_naive_timestamp,
        _batch_name
    from consent
)

select * from final
