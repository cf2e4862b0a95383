-- Complaint categories and how many complaints (any stage) each has.
-- Parameters: none.
select
    category,
    count(*) as complaints
from complaints
group by category
order by complaints desc, category asc
