-- Is every contact from one channel? Then the extract probably covers that channel only, and
-- its mapping should say so (scope), or channel-share measures would read 0% or 100%.
-- Parameters: none.
select
    any_value(channel) as channel,
    count(*) as contacts
from contacts
having count(distinct channel) = 1
