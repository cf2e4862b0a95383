-- The "as at" date of the data: the latest day any activity extract reaches.
create or replace table as_at as
select greatest(
    (select max(received_at)::date from contacts),
    (select max(opened_at)::date from cases),
    (select max(coalesce(closed_at, opened_at))::date from cases),
    (select max(responded_on) from satisfaction),
    (select max(greatest(received_on, coalesce(responded_on, received_on))) from complaints)
) as as_at_date;
