with consents as (
    select * from {{ ref('int_profile_consents') }}
)

select
    profile_id,
    channel,
    is_opted_in,
    recorded_at
from consents
