-- The first and last dates of activity, for the period filter and the "as at" date. Cases
-- count from the day they closed (the case measures do), so a case opened long before the
-- extract starts does not stretch the periods offered.
-- Parameters: none.
select
    least(
        (select min(received_at)::date from contacts),
        (select min(closed_at)::date from cases),
        (select min(received_on) from complaints)
    ) as first_date,
    (select as_at_date from as_at) as as_at_date
