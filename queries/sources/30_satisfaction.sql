-- Survey answers: 4 or 5 on the five-point scale counts as satisfied, agree or standard met.
create or replace view satisfaction_v as
select
    s.*,
    s.score >= 4 as satisfied,
    coalesce(s.weight, 1.0) as w
from satisfaction as s;
