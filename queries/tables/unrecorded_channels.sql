-- Records with no channel, per extract that has an optional channel column (contacts must
-- have one): a breakdown by channel then has a 'Not recorded' group.
-- Grain: one row per extract.
-- Parameters: none.
select
    'cases' as extract,
    count(*) filter (where channel is null) as unrecorded
from cases
union all
select
    'satisfaction' as extract,
    count(*) filter (where channel is null) as unrecorded
from satisfaction
union all
select
    'complaints' as extract,
    count(*) filter (where channel is null) as unrecorded
from complaints
