-- Every commentary row (small): measure, period, service, commentary, corrective action,
-- owner role, status (draft or approved). Written by officers; only approved rows are
-- published, and the text is sanitised before it is shown (scorecard.commentary).
-- Parameters: none.
select
    measure,
    period,
    service,
    commentary,
    corrective_action,
    owner_role,
    status
from commentary
order by measure, period
