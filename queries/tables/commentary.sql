-- Every commentary row (small): measure, period, service, commentary, corrective action,
-- owner role. Written by officers for publication, so shown as it is.
-- Parameters: none.
select measure, period, service, commentary, corrective_action, owner_role
from commentary
order by measure, period
