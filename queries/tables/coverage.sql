-- The first and last dates of activity, for the period filter and the "as at" date.
-- Parameters: none.
select
    least(
        (select min(received_at)::date from contacts),
        (select min(opened_at)::date from cases),
        (select min(received_on) from complaints)
    ) as first_date,
    (select as_at_date from as_at) as as_at_date
