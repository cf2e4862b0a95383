-- Is every contact from one channel? Then the extract probably covers that channel only, and
-- its mapping should say so (scope), or channel-share measures would read 0% or 100%.
-- Parameters: none.
-- Read from the monthly counts (one row per month, service, channel and site), not the
-- records: the same channels and the same number of contacts.
select
    any_value(channel) as channel,
    sum(contacts)::bigint as contacts
from contacts_monthly
having count(distinct channel) = 1
