-- Cases with their working days to close, from the calendar (day opened = day 0), stored as
-- a table sorted by the day closed (the measures count cases by the month they closed).
create or replace table cases_v as
select
    c.*,
    c.opened_at::date as opened_on,
    c.closed_at::date as closed_on,
    c.status = 'closed' as is_resolved,
    cc.wd_index - co.wd_index as working_days_to_close,
    cc.wd_index - co.wd_index <= c.standard_days as within_standard,
    c.services_involved > 1 as is_multi_service
from cases as c
inner join calendar as co on c.opened_at::date = co.date
left join calendar as cc on c.closed_at::date = cc.date
order by closed_on nulls last, opened_on;
