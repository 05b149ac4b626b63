{{ config(materialized='incremental', incremental_strategy='append') }}

-- Who entered, left or changed in each audience since the previous build. The log is its own
-- state: the newest row per audience and profile says whether the profile is a member now.
with memberships as (
    select
        audience,
        profile_id,
        traits_hash,
        evaluated_at
    from {{ ref('segment_memberships') }}
),

clock as (
    select evaluated_at from {{ ref('audience_clock') }}
),

{% if is_incremental() %}

logged_changes as (
    select * from {{ this }}
),

latest_changes as (
    select
        audience,
        profile_id,
        change_type,
        traits_hash,
        row_number() over (
            partition by audience, profile_id order by build_sequence desc
        ) as recency_rank
    from logged_changes
),

previous_members as (
    select
        audience,
        profile_id,
        traits_hash
    from latest_changes
    where
        recency_rank = 1
        and change_type != 'left'
),

this_build as (
    select coalesce(max(build_sequence), 0) + 1 as build_sequence
    from logged_changes
),

{% else %}

previous_members as (
    select
        cast(null as varchar) as audience,
        cast(null as varchar) as profile_id,
        cast(null as varchar) as traits_hash
    where false
),

this_build as (
    select 1 as build_sequence
),

{% endif %}

compared as (
    select
        coalesce(memberships.audience, previous_members.audience) as audience,
        coalesce(memberships.profile_id, previous_members.profile_id) as profile_id,
        case
            when previous_members.profile_id is null then 'entered'
            when memberships.profile_id is null then 'left'
            when memberships.traits_hash != previous_members.traits_hash then 'changed'
        end as change_type,
        memberships.traits_hash,
        previous_members.traits_hash as previous_traits_hash
    from memberships
    full outer join previous_members
        on
            memberships.audience = previous_members.audience
            and memberships.profile_id = previous_members.profile_id
),

final as (
    select
        compared.audience,
        compared.profile_id,
        compared.change_type,
        compared.traits_hash,
        compared.previous_traits_hash,
        clock.evaluated_at as changed_at,
        cast(this_build.build_sequence as bigint) as build_sequence,
        '{{ invocation_id }}' as dbt_invocation_id
    from compared
    cross join clock
    cross join this_build
    where compared.change_type is not null
)

select * from final
