-- Contacts as the measures read them: the contract columns plus derived flags.
-- digital: completed online (web or app) or with staff help online (assisted digital),
-- the GOV.UK digital take-up definition.
create or replace view contacts_v as
select
    c.*,
    c.received_at::date as received_on,
    extract(hour from c.received_at) as hour_of_day,
    isodow(c.received_at) as weekday,
    c.channel in ('web', 'app') or coalesce(c.assisted_digital, false) as is_digital,
    c.channel = 'phone' as is_call,
    c.channel = 'phone' and coalesce(c.abandoned, false) as is_abandoned,
    c.channel = 'phone'
    and not coalesce(c.abandoned, false)
    and c.wait_seconds <= 60 as answered_within_60s
from contacts as c;
