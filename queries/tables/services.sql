-- The services that appear in the activity extracts, for the service filter.
-- Parameters: none.
with named as (
    select distinct service from contacts
    union
    select distinct service from cases
    union
    select distinct service from complaints
    union
    select distinct service from returns
)

select service from named
where service is not null
order by service
