-- One row per profile and consent channel: the consent in force (no row = not consented).
-- Deliberately not limited to the evaluation instant: a revocation recorded after the newest
-- event must still stop every send.
with profiles as (
    select profile_id from {{ ref('stg_landing__profiles') }}
),

consents as (
    select * from {{ ref('stg_landing__consents') }}
),

channels as (
    {%- for channel in consent_channels() %}
    select '{{ channel }}' as channel
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

ranked_consents as (
    select
        profile_id,
        channel,
        is_opted_in,
        recorded_at,
        -- On a tie, a refusal wins: consent must never be assumed.
        row_number() over (
            partition by profile_id, channel order by recorded_at desc, is_opted_in asc
        ) as recency_rank
    from consents
),

final as (
    select
        profiles.profile_id,
        channels.channel,
        coalesce(ranked_consents.is_opted_in, false) as is_opted_in,
        ranked_consents.recorded_at
    from profiles
    cross join channels
    left join ranked_consents
        on
            profiles.profile_id = ranked_consents.profile_id
            and channels.channel = ranked_consents.channel
            and ranked_consents.recency_rank = 1
)

select * from final
