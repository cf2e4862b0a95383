-- The first and last dates of activity, for the period filter and the "as at" date, from
-- whichever activity extracts were supplied (first_date is NULL when none has a dated row).
-- Cases count from the day they closed (the case measures do), so a case opened long before
-- the extract starts does not stretch the periods offered; only when no case has closed do
-- they count from the day they opened.
-- Parameters: none.
select
    least(
        (select min(received_at)::date from contacts),
        (select coalesce(min(closed_at), min(opened_at))::date from cases),
        (select min(responded_on) from satisfaction),
        (select min(received_on) from complaints),
        (select min(period_start) from returns)
    ) as first_date,
    (select as_at_date from as_at) as as_at_date,
    (select from_activity from as_at) as from_activity
