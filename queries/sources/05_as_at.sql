-- The "as at" date of the data: the latest day any activity extract reaches. A return counts
-- from the start of the period it reports; an extract declared to cover a period, from its
-- end. With no dated activity at all (say, only the
-- action plan), it is the day the data was loaded, and from_activity says so.
create or replace table as_at as
with latest as (
    select greatest(
        (select max(received_at)::date from contacts),
        (select max(opened_at)::date from cases),
        (select max(coalesce(closed_at, opened_at))::date from cases),
        (select max(responded_on) from satisfaction),
        (select max(greatest(received_on, coalesce(responded_on, received_on))) from complaints),
        (select max(period_start) from returns),
        -- an extract whose mapping declares it covers a period to its end (a survey dated by
        -- its fieldwork month) is as at the end of that period
        (
            select max(s.covers_to) from scope as s
            inner join loads as l on s.extract = l.extract
            where l.loaded > 0
        )
    ) as activity_date
)

select
    coalesce(activity_date, current_date) as as_at_date,
    activity_date is not null as from_activity
from latest;
