{{ config(materialized='view') }}

-- Per sync, what the destination must be sent so it holds exactly the consented members:
-- desired members compared with the delivery ledger, then limited by consent and sync mode.
-- A view, so a row disappears the moment the ledger records the destination's acknowledgement.
with definitions as (
    select * from {{ source('activation', 'sync_definitions') }}
),

ledger as (
    select * from {{ source('activation', 'delivery_ledger') }}
),

memberships as (
    select * from {{ ref('segment_memberships') }}
),

consents as (
    select * from {{ ref('profile_consents') }}
),

desired as (
    select
        definitions.sync_id,
        memberships.profile_id,
        memberships.email,
        memberships.phone,
        memberships.traits,
        memberships.traits_hash
    from definitions
    inner join memberships on definitions.audience = memberships.audience
),

-- Ledger rows of syncs no longer defined are left alone: nothing plans for them.
held as (
    select ledger.*
    from ledger
    inner join definitions on ledger.sync_id = definitions.sync_id
),

compared as (
    select
        coalesce(desired.sync_id, held.sync_id) as sync_id,
        coalesce(desired.profile_id, held.profile_id) as profile_id,
        desired.profile_id is not null as is_member,
        held.profile_id is not null as is_held,
        desired.email,
        desired.phone,
        desired.traits,
        desired.traits_hash,
        held.identifiers as ledger_identifiers,
        held.traits_hash as ledger_traits_hash
    from desired
    full outer join held
        on
            desired.sync_id = held.sync_id
            and desired.profile_id = held.profile_id
),

with_consent as (
    select
        compared.*,
        definitions.mode,
        definitions.consent_channel,
        coalesce(consents.is_opted_in, false) as is_consented
    from compared
    inner join definitions on compared.sync_id = definitions.sync_id
    left join consents
        on
            compared.profile_id = consents.profile_id
            and definitions.consent_channel = consents.channel
),

needed as (
    select
        *,
        case
            when is_held and not is_consented then 'remove'
            when is_held and not is_member then 'remove'
            when not is_consented then 'suppress'
            when not is_held then 'add'
            when traits_hash != coalesce(ledger_traits_hash, '') then 'update'
        end as needed_action,
        case
            when is_held and not is_consented then 'consent_revoked'
            when is_held and not is_member then 'left_audience'
            when not is_consented then 'no_' || coalesce(consent_channel, 'unknown') || '_consent'
            when not is_held then 'entered_audience'
            when traits_hash != coalesce(ledger_traits_hash, '') then 'traits_changed'
        end as needed_reason
    from with_consent
),

-- What the sync's mode lets it send; a consent removal is sent in every mode.
allowed as (
    select
        *,
        needed_reason = 'consent_revoked'
        or needed_action = 'suppress'
        or (needed_action = 'add' and mode in ('mirror', 'upsert', 'create-only', 'add-only'))
        or (needed_action = 'update' and mode in ('mirror', 'upsert', 'update-only'))
        or (needed_action = 'remove' and mode = 'mirror') as is_allowed
    from needed
    where needed_action is not null
),

final as (
    select
        sync_id,
        profile_id,
        case when is_allowed then needed_action else 'skip' end as action,
        case
            when is_allowed then needed_reason
            else needed_action || '_not_allowed_in_' || coalesce(mode, 'unknown') || '_mode'
        end as reason,
        email,
        phone,
        traits,
        traits_hash,
        ledger_identifiers,
        ledger_traits_hash
    from allowed
)

select * from final
